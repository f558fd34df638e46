using System.Collections.Concurrent;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>Editing the lists while the server answers: changes apply within a second and no query is lost.</summary>
public sealed class ReloadTests
{
    private static async Task<ReturnCode?> CodeFor(TestServer server, string name) =>
        (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name), TimeSpan.FromSeconds(2)))?.ReturnCode;

    [Fact]
    public async Task An_appended_rule_takes_effect_within_a_second_while_queries_run_and_none_fails()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n");
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        // Four clients query continuously: a blocked name, an allowed one, and the one about to be blocked.
        var clients = Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested && sent++ < 5_000)
            {
                var name = (sent % 3) switch { 0 => "web.whatsapp.com", 1 => "a.test", _ => "mx.test" };
                var code = await CodeFor(server, name);
                var ok = name switch
                {
                    "web.whatsapp.com" => code == ReturnCode.NxDomain,
                    "a.test" => code == ReturnCode.NoError,
                    _ => code is ReturnCode.NoError or ReturnCode.NxDomain,
                };
                if (!ok)
                {
                    failures.Enqueue($"{name}: {code?.ToString() ?? "no answer"}");
                }
            }
        })).ToArray();

        Assert.Equal(ReturnCode.NoError, await CodeFor(server, "mx.test"));
        var edited = DateTime.UtcNow;
        await File.AppendAllTextAsync(server.ListFile, "mx.test\n");
        var applied = await Eventually.TrueAsync(async () => await CodeFor(server, "mx.test") == ReturnCode.NxDomain, TimeSpan.FromSeconds(3));
        var took = DateTime.UtcNow - edited;

        // Keep querying a little after the swap, so queries straddle it.
        await Eventually.TrueAsync(() => DateTime.UtcNow - edited > took + TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(applied, "the appended rule never took effect");
        Assert.True(took < TimeSpan.FromSeconds(1), $"the edit took {took.TotalMilliseconds:F0} ms to apply");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_deleted_file_loses_its_rules_and_a_new_file_adds_its_own()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.test\n");
        Assert.Equal(ReturnCode.NxDomain, await CodeFor(server, "a.test"));

        File.Delete(server.ListFile);
        await File.WriteAllTextAsync(Path.Combine(server.ListDirectory, "second.txt"), "mx.test refused\n");

        Assert.True(await Eventually.TrueAsync(async () => await CodeFor(server, "a.test") == ReturnCode.NoError, TimeSpan.FromSeconds(3)));
        Assert.True(await Eventually.TrueAsync(async () => await CodeFor(server, "mx.test") == ReturnCode.Refused, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Save_via_rename_ends_in_the_new_content_and_a_bad_line_is_reported_and_skipped()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "a.test\n");

        var temp = Path.Combine(server.ListDirectory, ".national.txt.swp");
        await File.WriteAllTextAsync(temp, "mx.test\nbad..line\n");
        File.Move(temp, server.ListFile, overwrite: true);

        Assert.True(await Eventually.TrueAsync(async () => await CodeFor(server, "mx.test") == ReturnCode.NxDomain, TimeSpan.FromSeconds(3)));
        Assert.Equal(ReturnCode.NoError, await CodeFor(server, "a.test"));
        Assert.True(await Eventually.TrueAsync(() => server.Log.Events.Any(e => e.RenderMessage().Contains($"{server.ListFile}:2: invalid name 'bad..line': empty label", StringComparison.Ordinal))));
    }
}
