using System.Net;
using Microsoft.Extensions.Time.Testing;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// A DNSSEC chain on loopback: NSD serving <see cref="Zone"/>, signed, with the signature over <c>bad</c>'s address
/// broken; Debian's Unbound validating it (its built-in empty zone for <c>test.</c>, RFC 6761, switched off) (<c>module-config: "validator iterator"</c>, the zone's KSK as trust anchor,
/// a stub zone pointing at NSD, Extended DNS Errors on, original TTLs served); and a NationalDns forwarding to that
/// Unbound, its cache on a clock that stands still. Not started when a program is missing (the tests skip).
/// </summary>
public sealed class ValidatingUnboundFixture : IAsyncLifetime
{
    public const string Zone = "signed.test";

    private const string UnsignedText = """
        $ORIGIN signed.test.
        $TTL 300
        @ 3600 IN SOA ns1 hostmaster 1 3600 900 604800 60
        @ 3600 IN NS ns1
        ns1 3600 IN A 192.0.2.53
        good IN A 192.0.2.1
        good IN TXT "validated"
        bad IN A 192.0.2.2
        """;

    private NsdServer? _nsd;
    private DaemonProcess? _unbound;
    private TestServer? _server;

    internal IPEndPoint Unbound => _unbound?.EndPoint ?? throw new InvalidOperationException("Unbound, NSD or dnssec-signzone is not installed.");

    internal TestServer Server => _server ?? throw new InvalidOperationException("Unbound, NSD or dnssec-signzone is not installed.");

    public string Output => $"NSD:\n{_nsd?.Output}\nUnbound:\n{_unbound?.Output}";

    public static bool Installed => File.Exists(UnboundSandbox.Binary) && File.Exists(NsdServer.Binary) && File.Exists(SignedZone.Signer);

    public async Task InitializeAsync()
    {
        if (!Installed)
        {
            return;
        }

        var signed = await SignedZone.CreateAsync(Zone, UnsignedText);
        _nsd = await NsdServer.StartAsync((Zone, signed.WithBrokenSignature($"bad.{Zone}", "A").Text));
        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        _unbound = await DaemonProcess.StartAsync(UnboundSandbox.Binary, "unbound.conf", dir => Config(dir, port, _nsd.EndPoint, signed.TrustAnchor), new IPEndPoint(IPAddress.Loopback, port), "-d", "-c", "{config}");
        var probe = new QueryBuilder { Name = $"good.{Zone}" }.Build();
        var ready = await Eventually.TrueAsync(
            async () => _unbound.HasExited || await DnsTestClient.UdpBytesAsync(_unbound.EndPoint, probe, TimeSpan.FromMilliseconds(200)) is not null,
            TimeSpan.FromSeconds(15));
        Assert.True(ready && !_unbound.HasExited, "Unbound never answered:\n" + Output);
        _server = await NsdFixture.StartServerAsync(_unbound.EndPoint, new FakeTimeProvider());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_unbound is not null)
        {
            await _unbound.DisposeAsync();
        }

        if (_nsd is not null)
        {
            await _nsd.DisposeAsync();
        }
    }

    private static string Config(string directory, int port, IPEndPoint nsd, string trustAnchor) => UnboundSandbox.Config(
        directory,
        port,
        [
            "local-zone: \"test.\" nodefault",
            "do-not-query-localhost: no",
            "module-config: \"validator iterator\"",
            $"trust-anchor: \"{trustAnchor.Replace('\t', ' ')}\"",
            "ede: yes",
            "serve-original-ttl: yes",
        ],
        $"""
        stub-zone:
          name: "{Zone}."
          stub-addr: {nsd.Address}@{nsd.Port}
        """);
}
