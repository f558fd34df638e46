using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.Configuration;
using NationalDns.Core.QueryLog;
using NationalDns.Http.DnsOverHttps;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Hosting;
using NationalDns.Server.Metrics;
using NationalDns.Server.Tls;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>
/// The real server with DNS over TLS and DNS over HTTPS on loopback ephemeral ports beside plain DNS, blocking
/// <c>whatsapp.com</c> and forwarding the rest to a <see cref="FakeUpstream"/>; the certificate is the self-signed one
/// unless the test gives files.
/// </summary>
internal sealed class EncryptedServer : IAsyncDisposable
{
    public const string List = "# the list\nwhatsapp.com\n";

    private EncryptedServer(FakeUpstream upstream, TestServer server)
    {
        Upstream = upstream;
        Server = server;
        Tls = server.Services.GetRequiredService<DnsServerHostedService>().BoundTlsEndPoints[0];
        Https = server.Services.GetService<DohEndpoint>()?.BoundEndPoints[0];
    }

    public FakeUpstream Upstream { get; }

    public TestServer Server { get; }

    /// <summary>The DNS over TLS endpoint.</summary>
    public IPEndPoint Tls { get; }

    /// <summary>The DNS over HTTPS endpoint, when started with one.</summary>
    public IPEndPoint? Https { get; }

    public Uri DohUri => new($"https://{Https!.Address}:{Https.Port}/dns-query");

    /// <summary>The pin the server logged at start (the line an operator copies into <c>kdig +tls-pin</c>).</summary>
    public string LoggedPin => CollectingSink.Property(Server.Log.Events.Single(e => e.Properties.ContainsKey("Pin") && e.MessageTemplate.Text.StartsWith("TLS certificate for", StringComparison.Ordinal)), "Pin")!;

    /// <summary>The one refusal event logged for <paramref name="name"/>, once it is there (it is written off the serving thread).</summary>
    public async Task<Serilog.Events.LogEvent> RefusalLoggedAsync(string name)
    {
        Assert.True(await Eventually.TrueAsync(() => Server.Log.WithProperty("QueryName", name).Count > 0), $"no refusal logged for {name}");
        return Assert.Single(Server.Log.WithProperty("QueryName", name));
    }

    /// <param name="tls">Changes to the TLS options.</param>
    /// <param name="https">Whether DNS over HTTPS is served too.</param>
    /// <param name="list">The list instead of <see cref="List"/>.</param>
    /// <param name="more">Further settings (a block page, say).</param>
    public static async Task<EncryptedServer> StartAsync(
        Func<TlsOptions, TlsOptions>? tls = null, bool https = true, string list = List, Func<NationalDnsSettings, NationalDnsSettings>? more = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        try
        {
            var server = await TestServer.StartAsync(upstream, list, settings => (more ?? (s => s))(settings with
            {
                Server = settings.Server with { ListenTls = [new IPEndPoint(IPAddress.Loopback, 0)] },
                ListenHttps = https ? [new IPEndPoint(IPAddress.Loopback, 0)] : [],
                Tls = (tls ?? (t => t))(new TlsOptions { Names = ["127.0.0.1", "localhost"], DataDirectory = settings.QueryLog.DataDirectory }),
            }));
            return new EncryptedServer(upstream, server);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes a TLS handshake with the DoT listener and returns the certificate it presented (trusting any).</summary>
    public async Task<X509Certificate2> PresentedCertificateAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Tls);
        X509Certificate2? presented = null;
        // Only recorded: which certificate is presented is what the caller checks.
        await using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : new X509Certificate2(certificate);
            return presented is not null;
        });
        await tls.AuthenticateAsClientAsync("localhost");
        return presented!;
    }

    /// <summary>
    /// Sends every query on one DoT connection at once (pipelined, RFC 7766 §6.2.1.1) and reads as many answers, in
    /// whatever order they come; the server must present the certificate whose pin it logged.
    /// </summary>
    public async Task<IReadOnlyList<DnsMessage>> ExchangeTlsAsync(IReadOnlyList<byte[]> queries)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(Tls, deadline.Token);
        var pin = LoggedPin;
        await using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate is not null && SpkiPin.Of(new X509Certificate2(certificate)) == pin);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, deadline.Token);
        foreach (var query in queries)
        {
            var frame = new byte[2 + query.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
            query.CopyTo(frame, 2);
            await tls.WriteAsync(frame, deadline.Token);
        }

        var answers = new List<DnsMessage>();
        var prefix = new byte[2];
        while (answers.Count < queries.Count)
        {
            await tls.ReadExactlyAsync(prefix, deadline.Token);
            var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await tls.ReadExactlyAsync(answer, deadline.Token);
            answers.Add(DnsMessage.Parse(answer));
        }

        return answers;
    }

    /// <summary>An HttpClient that accepts the server's certificate by the pin it logged, as <c>kdig +tls-pin</c> does.</summary>
    public HttpClient PinnedHttpClient()
    {
        var pin = LoggedPin;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && SpkiPin.Of(new X509Certificate2(certificate)) == pin;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The metrics as <c>/metrics</c> would show them.</summary>
    public async Task<string> MetricsTextAsync()
    {
        using var text = new MemoryStream();
        await Server.Services.GetRequiredService<DnsMetrics>().Registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    /// <summary>The query log's entries for <paramref name="name"/>, newest first, once there are at least <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<QueryLogEntry>> LogEntriesAsync(string name, int count)
    {
        var reader = Server.Services.GetRequiredService<IQueryLogReader>();
        IReadOnlyList<QueryLogEntry> entries = [];
        Assert.True(
            await Eventually.TrueAsync(async () => (entries = await reader.ReadAsync(new QueryFilter(Name: name), null, 100, CancellationToken.None)).Count >= count),
            $"the log has {entries.Count} of {count} entries for {name}");
        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
