using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.BlockPage;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>
/// Headless Chromium with its secure DNS set to NationalDns's <c>/dns-query</c>, as a user sets it: mode "secure" (no
/// fallback to the system resolver) and the server's template, kept in the profile's <c>Local State</c>
/// (<c>dns_over_https.mode</c>, <c>dns_over_https.templates</c>); the server's self-signed certificate trusted as a peer
/// in the NSS store of Chromium's HOME. No <c>--host-resolver-rules</c>: every name Chromium looks up goes over DoH.
/// </summary>
public sealed class ChromiumSecureDnsTests
{
    // Loopback, yet only the upstream's answer leads here: nothing else names this address.
    private static readonly IPAddress s_siteAddress = IPAddress.Parse("127.0.0.3");

    [InstalledFact(ChromiumFactAttribute.Binary, "chromium", NssTrustStore.Certutil, "libnss3-tools")]
    public async Task Chromium_resolving_over_DoH_cannot_resolve_a_blocked_name_and_reaches_an_allowed_one_at_the_upstreams_address()
    {
        await using var server = await EncryptedServer.StartAsync();
        using var site = TinySite.Start(s_siteAddress);
        server.Upstream.Responder = query => AnswerSite(query, site.EndPoint.Address);
        var (home, localState) = await SecureDnsProfileAsync(server);
        try
        {
            var blocked = await HeadlessChromium.LoadAsync(null, "http://web.whatsapp.com/", home: home, localState: localState);
            var allowed = await HeadlessChromium.LoadAsync(null, $"http://site.test:{site.EndPoint.Port}/", home: home, localState: localState);

            Assert.Contains("net::ERR_NAME_NOT_RESOLVED", blocked.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("<body", blocked.Dom, StringComparison.Ordinal);
            Assert.Contains("Served by the site the upstream named", allowed.Dom, StringComparison.Ordinal);
            Assert.Equal($"site.test:{site.EndPoint.Port}", Assert.Single(site.Hosts));

            // The server saw both names over HTTPS: the blocked one refused by the list, the other forwarded.
            var refused = await server.LogEntriesAsync("web.whatsapp.com", 1);
            Assert.All(refused, e => Assert.Equal(("https", "blocked", "NXDOMAIN"), (e.Transport, e.Outcome, e.ResponseCode)));
            var forwarded = await server.LogEntriesAsync("site.test", 1);
            Assert.Contains(forwarded, e => (e.Transport, e.Type, e.Outcome) == ("https", "A", "forwarded"));
            Assert.All(forwarded, e => Assert.Equal("https", e.Transport));
            Assert.Equal(0, server.Upstream.CountFor("web.whatsapp.com"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [InstalledFact(ChromiumFactAttribute.Binary, "chromium", NssTrustStore.Certutil, "libnss3-tools")]
    public async Task Chromium_resolving_over_DoH_is_sent_to_the_block_page_for_a_sinkholed_name()
    {
        await using var server = await EncryptedServer.StartAsync(list: TestLists.Behaviours, more: s => s with
        {
            BlockPage = new IPEndPoint(IPAddress.Loopback, 0),
            Blocking = s.Blocking with { BlockPageAddress = IPAddress.Loopback },
        });
        var page = server.Server.Services.GetRequiredService<BlockPageServer>().BoundEndPoint!;
        var (home, localState) = await SecureDnsProfileAsync(server);
        try
        {
            var loaded = await HeadlessChromium.LoadAsync(null, $"http://page.example:{page.Port}/", home: home, localState: localState);

            Assert.Contains("Blocked by rule <code>page.example</code> with action <code>sinkhole</code>.", loaded.Dom, StringComparison.Ordinal);
            var entries = await server.LogEntriesAsync("page.example", 1);
            Assert.Contains(entries, e => (e.Transport, e.Type, e.Outcome, e.Action) == ("https", "A", "blocked", "sinkhole"));
            Assert.All(entries, e => Assert.Equal("https", e.Transport));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>
    /// A HOME whose NSS store trusts the server's self-signed certificate, and the <c>Local State</c> of a profile whose
    /// secure DNS is the server's <c>/dns-query</c> in mode secure (asked by GET: the template has <c>{?dns}</c>).
    /// </summary>
    private static async Task<(string Home, string LocalState)> SecureDnsProfileAsync(EncryptedServer server)
    {
        var home = Directory.CreateTempSubdirectory("nationaldns-home-").FullName;
        await NssTrustStore.TrustAsync(home, Path.Combine(server.Server.DataDirectory, "tls", "server.crt"), NssTrustStore.Peer, "NationalDns DoH");
        var localState = JsonSerializer.Serialize(new
        {
            dns_over_https = new { mode = "secure", templates = $"https://127.0.0.1:{server.Https!.Port}/dns-query{{?dns}}" },
        });
        return (home, localState);
    }

    // site.test has one A record, the site's address; every other type there exists but is empty (NODATA).
    private static DnsMessage? AnswerSite(DnsMessage query, IPAddress address)
    {
        var question = query.Questions[0];
        if (!question.Name.Equals(ARSoft.Tools.Net.DomainName.Parse("site.test")))
        {
            return null;
        }

        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (question.RecordType == RecordType.A)
        {
            response.AnswerRecords.Add(new ARecord(question.Name, 300, address));
        }

        return response;
    }

    /// <summary>
    /// An HTTP/1.1 server of one page on <c>ADDRESS:ephemeral port</c>, answering each connection once and recording the
    /// Host it was asked for: what Chromium reached is the address it resolved.
    /// </summary>
    private sealed class TinySite : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _hosts = [];

        private TinySite(TcpListener listener)
        {
            _listener = listener;
            _ = ServeAsync();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

        public IReadOnlyList<string> Hosts
        {
            get
            {
                lock (_hosts)
                {
                    return [.. _hosts.Distinct()];
                }
            }
        }

        public static TinySite Start(IPAddress address)
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            return new TinySite(listener);
        }

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await AnswerAsync(client.GetStream());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
                // Stopped, or a client went away mid-request: the test asserts on what was recorded.
            }
        }

        private async Task AnswerAsync(NetworkStream stream)
        {
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
            {
                if (line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))
                {
                    lock (_hosts)
                    {
                        _hosts.Add(line[5..].Trim());
                    }
                }
            }

            var body = "<html><head><title>site.test</title></head><body><p>Served by the site the upstream named.</p></body></html>";
            var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + body), _stop.Token);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
