using System.Collections.Concurrent;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Core.Policy.Lists;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Serving;

/// <summary>Editing the lists while the server answers: changes apply one confirming poll after the watcher sees them, and no query is lost.</summary>
public sealed class ReloadTests
{
    private static async Task<ReturnCode?> CodeFor(TestServer server, string name) =>
        (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name), TimeSpan.FromSeconds(2)))?.ReturnCode;

    [Fact]
    public async Task An_appended_rule_takes_effect_when_the_next_poll_finds_the_file_unchanged_while_queries_run_and_none_fails()
    {
        // The watcher polls on the server's clock, here a fake one: the edit applies after exactly one poll that sees
        // it and one confirming poll half an interval later, however slow the machine.
        var clock = new FakeClock();
        var (poll, confirm) = (BlocklistWatcher.DefaultPollInterval, BlocklistWatcher.DefaultPollInterval / 2);
        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, "whatsapp.com\n", overrides: s => s.AddSingleton<TimeProvider>(clock));
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
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

                Interlocked.Increment(ref answered);
            }
        })).ToArray();

        Assert.Equal(ReturnCode.NoError, await CodeFor(server, "mx.test"));
        await clock.WaitForTimerAsync(poll);
        await File.AppendAllTextAsync(server.ListFile, "mx.test\n");
        var confirmations = clock.Started(confirm);
        clock.Advance(poll); // this poll sees the file changed and waits for it to hold still
        await clock.WaitForTimerAsync(confirm, confirmations + 1);
        var afterSeeing = await CodeFor(server, "mx.test");
        clock.Advance(confirm - TimeSpan.FromMilliseconds(1));
        var justBefore = await CodeFor(server, "mx.test");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var applied = await Eventually.TrueAsync(async () => await CodeFor(server, "mx.test") == ReturnCode.NxDomain, TimeSpan.FromSeconds(5));

        // Keep querying a little after the swap, so queries straddle it.
        var swapped = Volatile.Read(ref answered);
        await Eventually.TrueAsync(() => Volatile.Read(ref answered) > swapped + 200, TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal((ReturnCode.NoError, ReturnCode.NoError), (afterSeeing, justBefore));
        Assert.True(applied, "the appended rule never took effect");
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
