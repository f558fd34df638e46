using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Operations;

/// <summary><c>--max-list-size</c> in the real server: a list over it is refused in one error line, and the others serve.</summary>
public sealed class ListSizeServingTests
{
    [Fact]
    public async Task A_2_MB_list_over_a_1_MB_limit_is_one_error_line_and_the_other_list_blocks()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        string? big = null;
        await using var server = await TestServer.StartAsync(upstream, "a.test\n", settings =>
        {
            big = Path.Combine(settings.Blocklists[0], "big.txt");
            File.WriteAllText(big, "big.test\n" + string.Concat(Enumerable.Range(0, 130_000).Select(i => $"name-{i:D6}.test\n")));
            return settings with { MaxListSize = 1 << 20 };
        });

        var blocked = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));
        var fromBig = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("big.test"));

        Assert.Equal(2_210_009, new FileInfo(big!).Length);
        Assert.Equal(ReturnCode.NxDomain, blocked!.ReturnCode);
        Assert.Equal(ReturnCode.NoError, fromBig!.ReturnCode);
        Assert.Equal(1, upstream.CountFor("big.test"));
        var messages = server.Log.Events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var refusal = Assert.Single(messages, m => m.Contains("big.txt", StringComparison.Ordinal));
        Assert.Contains($"blocklist '{big}' is 2 MB, over --max-list-size (1 MB); not loaded", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal);
    }
}
