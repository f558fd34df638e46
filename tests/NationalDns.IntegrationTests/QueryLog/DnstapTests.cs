using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NationalDns.IntegrationTests.Support;
using NationalDns.Server.Dnstap;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>
/// dnstap as the reference tools take it: fstrm_capture collects over a Unix socket or TCP, and dnstap-read decodes
/// what it wrote. A blocked, a forwarded and a cached query each appear as CLIENT_QUERY and CLIENT_RESPONSE; a
/// dropped one as a CLIENT_QUERY alone.
/// </summary>
public sealed class DnstapTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [InstalledFact(FstrmCapture.Binary, FstrmCapture.Package, FstrmCapture.Reader, FstrmCapture.ReaderPackage)]
    public async Task Queries_reach_fstrm_capture_over_a_unix_socket_and_dnstap_read_decodes_them()
    {
        await using var capture = FstrmCapture.OnUnixSocket();

        var messages = await ServeQueriesAsync(capture);

        AssertExchanges(messages);
    }

    [InstalledFact(FstrmCapture.Binary, FstrmCapture.Package, FstrmCapture.Reader, FstrmCapture.ReaderPackage)]
    public async Task Queries_reach_fstrm_capture_over_TCP()
    {
        await using var capture = FstrmCapture.OnTcp(FreePort.ForUdpAndTcp(IPAddress.Loopback));

        var messages = await ServeQueriesAsync(capture);

        AssertExchanges(messages);
    }

    // Sends the four queries, stops the server (STOP, FINISH), then fstrm_capture, and returns dnstap-read's messages.
    private async Task<IReadOnlyList<string>> ServeQueriesAsync(FstrmCapture capture)
    {
        var server = await TestServer.StartAsync(_upstream, "blocked.example\ndropped.example drop\n", settings => settings with { Dnstap = capture.Target });
        try
        {
            // fstrm_capture may still be opening its socket: the sink's first retry comes a second after the start.
            var sink = server.Services.GetRequiredService<DnstapSink>();
            Assert.True(await Eventually.TrueAsync(() => sink.IsConnected, Deadline), $"the server connected to fstrm_capture:\n{capture.Output}");

            Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("www.blocked.example")));
            Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(FakeZone.SectionsName)));
            Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For(FakeZone.SectionsName)));
            Assert.Null(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("dropped.example"), TimeSpan.FromMilliseconds(200)));
            Assert.True(await Eventually.TrueAsync(() => sink.Sent >= 4, Deadline), $"{sink.Sent} of 4 entries sent, {sink.Dropped} dropped");
        }
        finally
        {
            await server.DisposeAsync();
        }

        var yaml = await capture.StopAndReadAsync();
        return yaml.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static void AssertExchanges(IReadOnlyList<string> messages)
    {
        Assert.Equal(7, messages.Count);
        Assert.All(messages, m =>
        {
            Assert.Contains("type: MESSAGE", m, StringComparison.Ordinal);
            Assert.Contains("version: NationalDns ", m, StringComparison.Ordinal);
            Assert.Contains("socket_family: INET\n", m, StringComparison.Ordinal);
            Assert.Contains("socket_protocol: UDP", m, StringComparison.Ordinal);
            Assert.Contains("query_address: \"127.0.0.1\"", m, StringComparison.Ordinal);
        });

        var blocked = Exchange(messages, "www.blocked.example");
        Assert.Contains("status: NXDOMAIN", blocked.Response, StringComparison.Ordinal);

        var dropped = Assert.Single(messages, m => m.Contains("'dropped.example. IN A'", StringComparison.Ordinal));
        Assert.Contains("type: CLIENT_QUERY", dropped, StringComparison.Ordinal);

        var forwarded = messages.Where(m => m.Contains("'a.test. IN A'", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, forwarded.Count);
        Assert.Equal(2, forwarded.Count(m => m.Contains("type: CLIENT_QUERY", StringComparison.Ordinal)));
        Assert.All(forwarded.Where(m => m.Contains("type: CLIENT_RESPONSE", StringComparison.Ordinal)), r =>
        {
            Assert.Contains("status: NOERROR", r, StringComparison.Ordinal);
            Assert.Contains("a.test.", r[r.IndexOf("ANSWER_SECTION", StringComparison.Ordinal)..], StringComparison.Ordinal);
        });
    }

    // The query and the response for a name asked once.
    private static (string Query, string Response) Exchange(IReadOnlyList<string> messages, string name)
    {
        var about = messages.Where(m => m.Contains($"'{name}. IN A'", StringComparison.Ordinal)).ToList();
        return (
            Assert.Single(about, m => m.Contains("type: CLIENT_QUERY", StringComparison.Ordinal)),
            Assert.Single(about, m => m.Contains("type: CLIENT_RESPONSE", StringComparison.Ordinal)));
    }
}
