using System.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;

namespace NationalDns.UnitTests.QueryLog;

public sealed class EntryTextsTests
{
    private readonly EntryTexts _texts = new();

    [Theory]
    [InlineData("192.0.2.10", 53000, "192.0.2.10")]
    [InlineData("2001:db8::1", 40000, "2001:db8::1")]
    [InlineData("::ffff:198.51.100.7", 5353, "198.51.100.7")]
    public void A_socket_address_becomes_the_address_text_and_the_port(string address, int port, string expected)
    {
        var socketAddress = new IPEndPoint(IPAddress.Parse(address), port).Serialize();

        var (text, readPort) = _texts.Client(socketAddress.Family, socketAddress.Buffer.Span[..socketAddress.Size]);

        Assert.Equal(expected, text);
        Assert.Equal(port, readPort);
    }

    [Fact]
    public void The_same_client_and_rule_reuse_one_string_each()
    {
        var rule = new BlockRule("blocked.example", false, false, BlockAction.NxDomain, new RuleSource("lists/national.txt", 7));
        var v4 = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 1).Serialize();
        var v4Mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.10"), 2).Serialize();

        Assert.Same(_texts.Client(v4.Family, v4.Buffer.Span[..v4.Size]).Address, _texts.Address(IPAddress.Parse("192.0.2.10")));
        Assert.Equal(("nxdomain", "lists/national.txt:7"), _texts.Rule(rule));
        Assert.Same(_texts.Rule(rule).Action, _texts.Rule(rule).Action);
        Assert.Equal("192.0.2.10", _texts.Client(v4Mapped.Family, v4Mapped.Buffer.Span[..v4Mapped.Size]).Address);
    }

    [Fact]
    public void Many_clients_never_make_the_table_grow_past_its_bound_and_every_text_stays_right()
    {
        for (var i = 0; i < 3 * EntryTexts.MaxEach; i++)
        {
            var address = new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
            Assert.Equal(address.ToString(), _texts.Address(address));
        }

        Assert.True(_texts.ClientCount <= EntryTexts.MaxEach, $"{_texts.ClientCount} addresses kept");
    }

    [Fact]
    public void Rules_of_a_list_share_one_action_text_however_many_rules_there_are()
    {
        var first = _texts.Rule(new BlockRule("r0.example", false, false, BlockAction.NxDomain, new RuleSource("national.txt", 1))).Action;
        for (var i = 1; i <= 2 * EntryTexts.MaxEach; i++) // past the rule table's bound: it starts over, the action's stays
        {
            var (action, source) = _texts.Rule(new BlockRule($"r{i}.example", false, false, BlockAction.NxDomain, new RuleSource("national.txt", i + 1)));
            Assert.Same(first, action);
            Assert.Equal($"national.txt:{i + 1}", source);
        }
    }

    [Fact]
    public void A_name_or_a_summary_read_again_is_the_same_string_and_reads_the_same()
    {
        // A query for WWW.Example.org A (letter case kept) and an answer with two addresses.
        byte[] query = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, .. "WWW"u8, 7, .. "Example"u8, 3, .. "org"u8, 0, 0, 1, 0, 1];
        byte[] answer = [.. query[..2], 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, .. query[12..],
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 2];

        Assert.True(WireSummary.TryReadQuery(query, _texts, out var first, out _, out _, out _, out _, out _));
        Assert.True(WireSummary.TryReadQuery(query, _texts, out var second, out _, out _, out _, out _, out _));
        var (code, count, summary) = WireSummary.ReadAnswer(answer, _texts);

        Assert.Equal("WWW.Example.org", first);
        Assert.Same(first, second);
        Assert.Equal(("NOERROR", 2, "192.0.2.1, 192.0.2.2"), (code, count, summary));
        Assert.Same(summary, WireSummary.ReadAnswer(answer, _texts).Summary);
    }

    [Fact]
    public void A_cname_target_is_summarised_by_its_name_and_the_root_as_a_dot()
    {
        byte[] query = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, .. "a"u8, 4, .. "test"u8, 0, 0, 1, 0, 1];
        byte[] answer = [.. query[..2], 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, .. query[12..],
            0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, .. "b"u8, 0xC0, 14,
            0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 1, 0];

        Assert.Equal("CNAME b.test, CNAME .", WireSummary.ReadAnswer(answer, _texts).Summary);
    }
}
