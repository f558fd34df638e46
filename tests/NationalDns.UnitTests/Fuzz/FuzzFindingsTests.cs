using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Rpz.Following;
using NationalDns.Fuzz.FastPath;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.Rpz.Following.Transfers;

namespace NationalDns.UnitTests.Fuzz;

/// <summary>What each input a fuzzing run flagged (checked in under fuzz/regressions) now gets, one test per finding.</summary>
public sealed class FuzzFindingsTests
{
    private static readonly SocketAddress Client = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();

    [Fact]
    public void A_query_with_a_malformed_COOKIE_option_is_left_to_the_full_parser()
    {
        var query = Finding("wire-query", "cookie-option-of-length-0");

        Assert.False(WireQuery.TryParse(query, new char[256], new int[WireQuery.MaxLabels], out _));
        Assert.Equal(IUdpFastPath.NotHandled, FastPath().TryAnswer(query, new byte[ushort.MaxValue], Client));
    }

    [Fact]
    public void A_query_with_a_well_formed_COOKIE_option_still_takes_the_fast_path()
    {
        var dig = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", "wire-query", "dig-a-web.whatsapp.com"));

        Assert.True(WireQuery.TryParse(dig, new char[256], new int[WireQuery.MaxLabels], out var parsed));
        Assert.True(parsed.HasEdns);
        Assert.True(FastPath().TryAnswer(dig, new byte[ushort.MaxValue], Client) > 0);
    }

    [Fact]
    public void A_blocked_answer_too_long_for_a_512_byte_client_is_left_to_the_pipeline_which_fits_it()
    {
        var query = Finding("udp-fast-path", "long-blocked-name-for-a-512-byte-client");
        var full = DnsMessage.Parse(query);
        var rule = FastPathFixtures.Rules(FastPathFixtures.EveryAction).Match(DomainNames.FromWire(full.Questions[0].Name))!;

        var fast = FastPath().TryAnswer(query, new byte[ushort.MaxValue], Client);
        var sent = UdpQueryHandler.Encode(full, new BlockedResponses(FastPathFixtures.Options).Create(full, rule, full.Questions[0].Name)!);

        Assert.Equal(IUdpFastPath.NotHandled, fast);
        Assert.Equal(512, full.EDnsOptions!.UdpPayloadSize);
        Assert.InRange(sent.Count, 12, 512);
        Assert.Equal(ReturnCode.NxDomain, DnsMessage.Parse(sent.ToArray()).ReturnCode);
    }

    [Theory]
    [InlineData("list-native", "lone-carriage-return-in-a-quoted-rule")]
    [InlineData("list-hosts", "lone-carriage-return-in-a-quoted-address")]
    public void A_bad_line_holding_a_lone_carriage_return_is_reported_on_one_line(string target, string finding)
    {
        // Both inputs read as Adblock rules by content, whose parser quotes the bad rule with its carriage return.
        var parsed = BlocklistParser.Parse(Finding(target, finding), "lists/x.txt", BlockAction.NxDomain);
        var problems = parsed.Problems.Append(parsed.FileProblem).OfType<ListProblem>().ToList();

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.DoesNotContain('\r', p.ToString()));
        Assert.Contains(problems, p => p.Reason.Contains("\\r", StringComparison.Ordinal));
    }

    [Fact]
    public void A_problem_quoting_a_line_break_is_written_on_one_line_with_escapes()
    {
        var problem = new ListProblem(new RuleSource("lists/x.txt", 3), "bad name 'a\rb\nc\u2028d'");

        Assert.Equal("lists/x.txt:3: bad name 'a\\rb\\nc\\u2028d'", problem.ToString());
    }

    [Theory]
    [InlineData("owner-label-starting-with-a-blank")]
    [InlineData("owner-with-a-zero-byte")]
    [InlineData("soa-mailbox-with-a-blank")]
    [InlineData("diffs-ending-at-another-soa")]
    [InlineData("owner-starting-with-a-dollar")]
    [InlineData("soa-name-with-a-parenthesis")]
    public void A_transfer_with_an_owner_no_zone_file_holds_keeps_its_rules_through_the_cache_file(string finding) =>
        new NationalDns.Fuzz.Rpz.RpzTransferTarget().Run(Finding("rpz-transfer", finding));

    [Fact]
    public void A_cache_file_of_a_zone_whose_soa_mailbox_has_a_blank_reads_back_with_that_soa()
    {
        using var folder = new TempDirectory();
        var path = folder.Path("rpz.zone");
        var soa = new SoaRecord(DomainName.Parse(ZoneName), 60, DomainName.Parse("ns." + ZoneName), new DomainName(["host master", .. DomainName.Parse(ZoneName).Labels]), 9, 3600, 600, 86400, 60);
        var copy = new ZoneCopy(ZoneName, ZoneSoa.From(soa), [TransferredRecord.ToZoneRecord(Cname("nx", "."))]);

        ZoneCacheFile.Write(path, copy, "test");
        var read = ZoneCacheFile.TryRead(path, ZoneName, out var problem);

        Assert.Null(problem);
        Assert.Equal(copy.Soa, read!.Soa);
    }

    [Fact]
    public void A_transferred_owner_label_starting_with_a_blank_is_no_trigger_and_the_cache_file_still_reads()
    {
        using var folder = new TempDirectory();
        var path = folder.Path("rpz.zone");
        var blank = new CNameRecord(new DomainName([" x", "test", .. DomainName.Parse(ZoneName).Labels]), 60, DomainName.Root);
        var zeroByte = new CNameRecord(new DomainName(["a\0b", .. DomainName.Parse(ZoneName).Labels]), 60, DomainName.Root);
        var copy = new ZoneCopy(ZoneName, ZoneSoa.From(Soa(7)), [.. new DnsRecordBase[] { blank, zeroByte, Cname("nx", ".") }.Select(TransferredRecord.ToZoneRecord)]);

        ZoneCacheFile.Write(path, copy, "test");
        var read = ZoneCacheFile.TryRead(path, ZoneName, out var problem);

        Assert.Equal(["nx"], copy.ToRules("x").Rules.Select(r => r.Domain));
        Assert.Null(problem);
        Assert.Equal(["nx"], read!.ToRules("x").Rules.Select(r => r.Domain));
        Assert.Equal([false, true, true, false], File.ReadAllLines(path).Select(line => line.StartsWith(';')));
    }

    private static UdpFastPath FastPath() =>
        new(new RuleSetHolder(FastPathFixtures.Rules(FastPathFixtures.EveryAction)), FastPathFixtures.Options, TimeProvider.System);

    private static byte[] Finding(string target, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "regressions", target, name));
}
