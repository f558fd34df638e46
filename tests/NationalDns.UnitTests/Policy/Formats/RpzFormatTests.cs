using System.Net;
using NationalDns.Core.Policy;
using static NationalDns.UnitTests.Policy.Formats.FormatLists;

namespace NationalDns.UnitTests.Policy.Formats;

public class RpzFormatTests
{
    private const string Sample = "TestData/policy.rpz";

    [Fact]
    public void Sample_gives_exactly_these_rules()
    {
        var parsed = FormatLists.Sample("policy.rpz");

        Assert.Empty(parsed.Problems);
        Assert.Equal(
            [
                Block("nx.test", 8, file: Sample),
                Block("wild.test", 9, wildcard: true, file: Sample),
                Block("nodata.test", 10, BlockAction.NoData, file: Sample),
                Exception("allowed.nx.test", 11, file: Sample),
                Block("dropped.test", 12, BlockAction.Drop, file: Sample),
                Block("tcp.test", 13, BlockAction.TcpOnly, file: Sample),
                Block("sink.test", 14, new BlockAction(BlockActionKind.Sinkhole, IPAddress.Parse("192.0.2.53"), IPAddress.Parse("2001:db8::53")), file: Sample),
                Block("absolute.test", 16, file: Sample),
            ],
            parsed.Rules);
    }

    [Fact]
    public void Owner_names_are_completed_with_the_origin_and_triggers_are_relative_to_the_apex()
    {
        var parsed = Parse("""
            $ORIGIN rpz.example.
            a.test CNAME .
            b.test.rpz.example. CNAME .
            $ORIGIN other.rpz.example.
            c.test CNAME .
            rpz.example. CNAME .
            """);

        Assert.Equal([Block("a.test", 2), Block("b.test", 3), Block("c.test.other", 5)], parsed.Rules);
        Assert.Equal([$"{ListPath}:6: a CNAME record at the zone apex is not a policy"], parsed.ProblemLines());
    }

    [Fact]
    public void Without_ORIGIN_the_SOA_owner_is_the_origin()
    {
        var parsed = Parse("""
            policy.example. 3600 IN SOA ns.example. h.example. 1 3600 600 86400 60
            policy.example. NS ns.example.
            a.test.policy.example. CNAME *.
            b.test CNAME rpz-drop.
            """);

        Assert.Equal([Block("a.test", 3, BlockAction.NoData), Block("b.test", 4, BlockAction.Drop)], parsed.Rules);
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void Without_any_origin_names_are_the_triggers_as_written()
    {
        var parsed = Parse("$TTL 60\n@ SOA ns. h. 1 2 3 4 5\n@ NS ns.\na.test CNAME .\n");

        Assert.Equal([Block("a.test", 4)], parsed.Rules);
    }

    [Fact]
    public void Apex_written_relative_to_a_parent_origin_is_still_the_apex()
    {
        var parsed = Parse("$ORIGIN example.\nrpz SOA ns. h. 1 2 3 4 5\nrpz NS ns.\n$ORIGIN rpz.example.\nx.test CNAME .\ny.test.example. CNAME .\n");

        Assert.Equal([Block("x.test", 5)], parsed.Rules);
        Assert.Equal([$"{ListPath}:6: owner 'y.test.example.' is outside the zone 'rpz.example.'"], parsed.ProblemLines());
    }

    [Fact]
    public void A_line_starting_with_a_blank_inherits_the_previous_owner()
    {
        var parsed = Parse("""
            $ORIGIN rpz.example.
            sink.test 60 IN AAAA 2001:db8::1
                      IN A 192.0.2.1
            """);

        Assert.Equal(
            [Block("sink.test", 2, new BlockAction(BlockActionKind.Sinkhole, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")))],
            parsed.Rules);
    }

    [Fact]
    public void Ttl_and_class_in_either_order_and_case_insensitive_types_are_read()
    {
        var parsed = Parse("$ORIGIN z.\na.test IN 60 cname .\nb.test 60 in CNAME rpz-passthru.\n");

        Assert.Equal([Block("a.test", 2), Exception("b.test", 3)], parsed.Rules);
    }

    [Fact]
    public void Bad_records_are_reported_with_their_line_and_reason()
    {
        var parsed = Parse("""
            $ORIGIN rpz.example.
            rewrite.test CNAME www.example.com.
            32.1.2.0.192.rpz-ip CNAME .
            ns.test.rpz-nsdname CNAME .
            txt.test TXT "hello; world"
            bad.test A 2001:db8::1
            two.test A 192.0.2.1
                     A 192.0.2.2
            outside.example. CNAME .
            a*.test CNAME .
            ch.test CH CNAME .
            $INCLUDE other.zone
            $GENERATE 1-2 x$ CNAME .
              CNAME
            open.test SOA ns. h. (
            """);

        Assert.Equal([Block("two.test", 7, new BlockAction(BlockActionKind.Sinkhole, IPAddress.Parse("192.0.2.1")))], parsed.Rules);
        Assert.Equal(
            [
                $"{ListPath}:2: CNAME to 'www.example.com.' rewrites the name, which is not supported (use ., *., rpz-passthru., rpz-drop. or rpz-tcp-only.)",
                $"{ListPath}:3: rpz-ip triggers are not supported (NationalDns matches query names only)",
                $"{ListPath}:4: rpz-nsdname triggers are not supported (NationalDns matches query names only)",
                $"{ListPath}:5: TXT local data is not supported (only CNAME policies and A/AAAA)",
                $"{ListPath}:6: bad A address '2001:db8::1'",
                $"{ListPath}:8: a second A record for 'two.test': a sinkhole has one address per family",
                $"{ListPath}:9: owner 'outside.example.' is outside the zone 'rpz.example.'",
                $"{ListPath}:10: invalid name 'a*.test': '*' is only allowed as a whole first label ('*.example.com')",
                $"{ListPath}:11: class CH is not supported (only IN)",
                $"{ListPath}:12: $INCLUDE is not supported: list the included file itself",
                $"{ListPath}:13: unknown directive '$GENERATE'",
                $"{ListPath}:14: CNAME takes one target",
                $"{ListPath}:15: '(' is never closed",
            ],
            parsed.ProblemLines());
    }

    [Fact]
    public void Record_without_an_earlier_owner_is_a_bad_line()
    {
        var parsed = Parse("$ORIGIN z.\n   CNAME .\n");

        Assert.Equal([$"{ListPath}:2: record without an owner name, and no earlier record to take it from"], parsed.ProblemLines());
    }

    [Fact]
    public void A_plain_trigger_matches_only_its_name_and_a_wildcard_trigger_only_the_names_under_it()
    {
        var set = Build(Parse("""
            exact.test CNAME .
            *.wild.test CNAME .
            both.test CNAME .
            *.both.test CNAME *.
            """));

        Assert.Equal("=exact.test", set.Match("exact.test")?.Pattern);
        Assert.Null(set.Match("www.exact.test"));
        Assert.Null(set.Match("wild.test"));
        Assert.Equal("*.wild.test", set.Match("a.b.wild.test")?.Pattern);
        Assert.Equal(BlockAction.NxDomain, set.Match("both.test")?.Action);
        Assert.Equal(BlockAction.NoData, set.Match("www.both.test")?.Action);
    }

    [Fact]
    public void An_exact_passthru_under_a_native_block_excepts_its_name_only()
    {
        var set = Build(Parse("blocked.test\n"), Parse("ok.blocked.test CNAME rpz-passthru.\n"));

        Assert.Equal("@@=ok.blocked.test", set.Match("ok.blocked.test")?.Pattern);
        Assert.Equal("blocked.test", set.Match("www.ok.blocked.test")?.Pattern);
        Assert.Equal(["@@=ok.blocked.test", "blocked.test"], set.Covering("ok.blocked.test").Select(r => r.Pattern));
        Assert.Equal(["blocked.test"], set.Covering("www.ok.blocked.test").Select(r => r.Pattern));
    }

    // An RPZ trigger without "*." is an exact rule (BIND and Unbound read it so).
    private static BlockRule Block(string domain, int line, BlockAction? action = null, bool wildcard = false, string file = ListPath) =>
        FormatLists.Block(domain, line, action, wildcard, file: file) with { IsExact = !wildcard };

    private static BlockRule Exception(string domain, int line, bool wildcard = false, string file = ListPath) =>
        FormatLists.Exception(domain, line, wildcard, file) with { IsExact = !wildcard };
}
