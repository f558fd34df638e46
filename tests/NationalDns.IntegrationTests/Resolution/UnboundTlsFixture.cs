using System.Net;
using System.Security.Cryptography.X509Certificates;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Streams;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// Debian's Unbound serving DNS over TLS on a loopback port with a certificate for <see cref="TlsName"/> and 127.0.0.1
/// from a test CA, answering <c>a.dot.test</c> from local data (no network). Started once for a test class; not at
/// all when Unbound is not installed (the tests skip).
/// </summary>
public sealed class UnboundTlsFixture : IAsyncLifetime
{
    public const string Binary = UnboundSandbox.Binary;
    public const string TlsName = "dot.test";
    public const string Name = "a.dot.test";
    public static readonly IPAddress Address = IPAddress.Parse("192.0.2.53");

    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("NationalDns test CA");
    private DaemonProcess? _unbound;

    public IPEndPoint EndPoint => _unbound!.EndPoint;

    public string Output => _unbound?.Output ?? "";

    /// <summary>The test CA alone, as the trust anchors a connector is given.</summary>
    public X509Certificate2Collection TrustAnchors => [_authority.Certificate];

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            return;
        }

        var port = FreePort.ForUdpAndTcp(IPAddress.Loopback);
        _unbound = await DaemonProcess.StartAsync(Binary, "unbound.conf", Config(port), new IPEndPoint(IPAddress.Loopback, port), "-d", "-c", "{config}");

        await using var pool = new DnsStreamPool(new DnsStreamConnector(TrustAnchors).ConnectAsync);
        var query = QueryBuilder.For(Name).Build();
        var ready = await Eventually.TrueAsync(async () =>
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await pool.ExchangeAsync(Target(TlsName), query, _ => true, attempt.Token);
                return true;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                return false; // not listening yet
            }
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        Assert.True(ready, "Unbound never answered over TLS:\n" + Output);
    }

    public UpstreamTarget Target(string? tlsName) => new(EndPoint, UpstreamProtocol.Tls, tlsName);

    public async Task DisposeAsync()
    {
        if (_unbound is not null)
        {
            await _unbound.DisposeAsync();
        }

        _authority.Dispose();
    }

    private Func<string, string> Config(int port) => dir =>
    {
        var (certificate, key) = _authority.IssueServerCertificate(dir, TlsName, IPAddress.Loopback);

        // The TLS port is the interface's port, so Unbound speaks TLS there and nowhere else.
        return UnboundSandbox.Config(
            dir,
            port,
            [
                $"tls-port: {port}",
                $"tls-service-key: \"{key}\"",
                $"tls-service-pem: \"{certificate}\"",
                $"local-zone: \"{TlsName}.\" static",
                $"local-data: \"{Name}. 60 IN A {Address}\"",
            ]);
    };
}
