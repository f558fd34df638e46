using System.Diagnostics;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Operations;

/// <summary>
/// A ConfigMap volume as the kubelet lays it out and updates it: the data in a timestamped hidden folder, a
/// <c>..data</c> link to it, one link per key (<c>national.txt -> ..data/national.txt</c>), and an update that writes
/// a new timestamped folder and swaps <c>..data</c> with one rename of a temporary link.
/// </summary>
public sealed class KubernetesConfigMapTests : IDisposable
{
    private readonly string _volume = Directory.CreateTempSubdirectory("nationaldns-configmap-").FullName;

    public void Dispose() => Directory.Delete(_volume, recursive: true);

    [Theory]
    [InlineData(false)] // --blocklist /blocklists (the folder)
    [InlineData(true)]  // --blocklist /blocklists/national.txt (the key's link)
    public async Task A_swap_of_the_data_link_is_reloaded_and_the_hidden_folders_are_not_read_as_extra_lists(bool fileItself)
    {
        await WriteVersionAsync("..2026_11_23_10_00_00.000000001", "old.test\n");
        File.CreateSymbolicLink(Path.Combine(_volume, "..data"), "..2026_11_23_10_00_00.000000001");
        File.CreateSymbolicLink(Path.Combine(_volume, "national.txt"), Path.Combine("..data", "national.txt"));

        await using var upstream = await FakeUpstream.StartAsync();
        await using var server = await TestServer.StartAsync(upstream, string.Empty, s => s with { Blocklists = [fileItself ? Path.Combine(_volume, "national.txt") : _volume] });
        Assert.Equal(ReturnCode.NxDomain, await Udp(server, "old.test"));
        Assert.Equal(ReturnCode.NoError, await Udp(server, "a.test"));
        var loaded = server.Log.Events.Single(e => e.MessageTemplate.Text.StartsWith("Blocklists loaded", StringComparison.Ordinal));
        Assert.Equal("1", loaded.Properties["FileCount"].ToString());

        // The kubelet's update: new folder, temporary link, rename over ..data, old folder removed.
        await WriteVersionAsync("..2026_11_23_10_05_00.000000002", "a.test\n");
        File.CreateSymbolicLink(Path.Combine(_volume, "..data_tmp"), "..2026_11_23_10_05_00.000000002");
        await RenameAsync(Path.Combine(_volume, "..data_tmp"), Path.Combine(_volume, "..data"));
        Directory.Delete(Path.Combine(_volume, "..2026_11_23_10_00_00.000000001"), recursive: true);

        Assert.True(await Eventually.TrueAsync(async () => await Udp(server, "a.test") == ReturnCode.NxDomain), "the swapped list was not loaded");
        Assert.DoesNotContain(upstream.Queries, q => q.Name.StartsWith("old.test", StringComparison.OrdinalIgnoreCase));
        await Udp(server, "old.test");
        Assert.Single(upstream.Queries, q => q.Name.StartsWith("old.test", StringComparison.OrdinalIgnoreCase)); // no longer blocked: forwarded
        Assert.DoesNotContain(server.Log.Events, e => e.Level >= Serilog.Events.LogEventLevel.Warning);
    }

    private async Task WriteVersionAsync(string folder, string list)
    {
        Directory.CreateDirectory(Path.Combine(_volume, folder));
        await File.WriteAllTextAsync(Path.Combine(_volume, folder, "national.txt"), list);
    }

    // rename(2), as the kubelet's atomic writer does; "mv -T" renames the link itself over the old one.
    private static async Task RenameAsync(string from, string to)
    {
        using var mv = Process.Start("mv", ["-T", from, to]);
        await mv.WaitForExitAsync();
        Assert.Equal(0, mv.ExitCode);
    }

    private static async Task<ReturnCode?> Udp(TestServer server, string name) => (await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(name)))?.ReturnCode;
}
