using System.Net;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// NLnet Labs' NSD, authoritative only, run by a test in the foreground (<c>nsd -d</c>) on one ephemeral IPv4 loopback
/// port, serving zones from zone files, with everything it writes (zone list, xfrd state, PID) in its own
/// temporary folder and no chroot, user switch or control channel.
/// </summary>
internal sealed class NsdServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nsd";

    public const string Package = "nsd";

    private readonly DaemonProcess _nsd;

    private NsdServer(DaemonProcess nsd) => _nsd = nsd;

    public IPEndPoint EndPoint => _nsd.EndPoint;

    /// <summary>What NSD printed so far, for failure messages.</summary>
    public string Output => _nsd.Output;

    /// <summary>Starts NSD serving each zone from its text (zone-file syntax) and waits until it answers the first one's SOA.</summary>
    public static async Task<NsdServer> StartAsync(params (string Name, string Text)[] zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        var nsd = await DaemonProcess.StartAsync(Binary, "nsd.conf", dir => Config(dir, port, zones), new IPEndPoint(IPAddress.Loopback, port), "-d", "-c", "{config}");
        var server = new NsdServer(nsd);
        var soa = new QueryBuilder { Name = zones[0].Name, Type = 6 }.Build();
        var ready = await Eventually.TrueAsync(
            async () => nsd.HasExited || await DnsTestClient.UdpBytesAsync(nsd.EndPoint, soa, TimeSpan.FromMilliseconds(200)) is not null,
            TimeSpan.FromSeconds(10));
        if (!ready || nsd.HasExited)
        {
            var output = nsd.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException("NSD never answered:\n" + output);
        }

        return server;
    }

    public ValueTask DisposeAsync() => _nsd.DisposeAsync();

    private static string Config(string directory, int port, (string Name, string Text)[] zones)
    {
        var zoneClauses = new System.Text.StringBuilder();
        for (var i = 0; i < zones.Length; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"zone{i}.db"), zones[i].Text);
            zoneClauses.Append($"zone:\n  name: \"{zones[i].Name}\"\n  zonefile: \"zone{i}.db\"\n");
        }

        return $"""
            server:
              ip-address: 127.0.0.1@{port}
              do-ip6: no
              server-count: 1
              username: ""
              chroot: ""
              database: ""
              zonesdir: "{directory}"
              zonelistfile: "{directory}/zone.list"
              xfrdfile: "{directory}/xfrd.state"
              xfrdir: "{directory}"
              pidfile: "{directory}/nsd.pid"
              verbosity: 1
            remote-control:
              control-enable: no

            """ + zoneClauses;
    }
}
