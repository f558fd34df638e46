using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>
/// DNS over HTTPS (RFC 8484) with the real clients (kdig and dig, over HTTP/2) and with HttpClient for HTTP/1.1 and
/// the requests a resolver must turn away.
/// </summary>
public sealed class DnsOverHttpsTests : PinnedDohTests
{
    private const string Kdig = RealClientAnswers.Kdig;
    private const string Dig = RealClientAnswers.Dig;

    private string Port => Server.Https!.Port.ToString(CultureInfo.InvariantCulture);

    [InstalledFact(Kdig, "knot-dnsutils")]
    public async Task Kdig_over_HTTP2_gets_NXDOMAIN_with_the_censored_EDE_and_the_upstream_answer_by_POST_and_GET()
    {
        await RealClientAnswers.AssertBlockedAndForwardedAsync(Kdig, "HTTP session (HTTP/2-POST)", "@127.0.0.1", "-p", Port, "+https", "+timeout=5");
        await RealClientAnswers.AssertBlockedAndForwardedAsync(Kdig, "HTTP session (HTTP/2-GET)", "@127.0.0.1", "-p", Port, "+https-get", "+timeout=5");
    }

    [InstalledFact(Dig, "dnsutils")]
    public async Task Dig_over_HTTPS_gets_NXDOMAIN_with_the_censored_EDE_and_the_upstream_answer_by_POST_and_GET()
    {
        await RealClientAnswers.AssertBlockedAndForwardedAsync(Dig, "(127.0.0.1) (HTTPS)", "@127.0.0.1", "-p", Port, "+https", "+tries=1", "+time=5");
        await RealClientAnswers.AssertBlockedAndForwardedAsync(Dig, "(127.0.0.1) (HTTPS-GET)", "@127.0.0.1", "-p", Port, "+https-get", "+tries=1", "+time=5");
    }

    [Theory]
    [InlineData("1.1", "GET")]
    [InlineData("1.1", "POST")]
    [InlineData("2.0", "GET")]
    [InlineData("2.0", "POST")]
    public async Task HttpClient_gets_the_blocked_and_the_forwarded_answer_with_their_TTLs_as_max_age(string version, string method)
    {
        var blocked = await SendAsync(Request(method, QueryBuilder.For("web.whatsapp.com") with { Id = 0 }, Version.Parse(version)));
        var allowed = await SendAsync(Request(method, QueryBuilder.For(FakeZone.SectionsName) with { Id = 0 }, Version.Parse(version)));

        foreach (var response in new[] { blocked, allowed })
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal(Version.Parse(version), response.Version);
            Assert.Equal("application/dns-message", response.ContentType);
        }

        var blockedAnswer = DnsMessage.Parse(blocked.Body);
        var allowedAnswer = DnsMessage.Parse(allowed.Body);
        Assert.Equal(ReturnCode.NxDomain, blockedAnswer.ReturnCode);
        Assert.Equal(0, blockedAnswer.TransactionID);
        Assert.Equal("max-age=60", blocked.CacheControl); // the block's SOA: TTL and minimum 60 (BlockTtl)
        Assert.Equal(ReturnCode.NoError, allowedAnswer.ReturnCode);
        var ttl = allowedAnswer.AnswerRecords.Min(r => r.TimeToLive);
        Assert.Equal($"max-age={ttl}", allowed.CacheControl);
        Assert.InRange(ttl, 1, 300);
    }

    [Fact]
    public async Task Requests_without_a_usable_query_get_400_405_413_or_415_and_never_reach_the_upstream()
    {
        var noParameter = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Server.DohUri));
        var notBase64 = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Server.DohUri + "?dns=!!!")));
        var notDns = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Server.DohUri + "?dns=AAEC")));
        var aResponse = await SendAsync(Request("POST", QueryBuilder.For("a.test") with { IsResponse = true }, HttpVersion.Version11));
        var wrongType = await SendAsync(new HttpRequestMessage(HttpMethod.Post, Server.DohUri) { Content = Body(QueryBuilder.For("a.test").Build(), "application/octet-stream") });
        var tooBig = await SendAsync(new HttpRequestMessage(HttpMethod.Post, Server.DohUri) { Content = Body(new byte[70_000], "application/dns-message") });
        var put = await SendAsync(new HttpRequestMessage(HttpMethod.Put, Server.DohUri) { Content = Body(QueryBuilder.For("a.test").Build(), "application/dns-message") });

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.MethodNotAllowed],
            new[] { noParameter, notBase64, notDns, aResponse, wrongType, tooBig, put }.Select(r => r.Status));
        Assert.Empty(Server.Upstream.Queries);

        // And the endpoint still answers.
        var after = await SendAsync(Request("POST", QueryBuilder.For("a.test"), HttpVersion.Version20));
        Assert.Equal(ReturnCode.NoError, DnsMessage.Parse(after.Body).ReturnCode);
    }

    [Fact]
    public async Task Oversized_bodies_streamed_without_a_length_are_refused_while_other_clients_are_answered()
    {
        var floods = Enumerable.Range(0, 4).Select(_ => SendAsync(new HttpRequestMessage(HttpMethod.Post, Server.DohUri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new UnsizedContent(1_000_000) { Headers = { ContentType = new MediaTypeHeaderValue("application/dns-message") } },
        })).ToArray();
        var answer = await SendAsync(Request("GET", QueryBuilder.For("a.test"), HttpVersion.Version11));

        Assert.Equal(ReturnCode.NoError, DnsMessage.Parse(answer.Body).ReturnCode);
        Assert.All(await Task.WhenAll(floods), r => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.Status));
    }

    [Fact]
    public async Task Queries_over_HTTPS_are_logged_and_counted_with_transportHttps()
    {
        await SendAsync(Request("POST", QueryBuilder.For("web.whatsapp.com"), HttpVersion.Version20));
        await SendAsync(Request("GET", QueryBuilder.For("a.test"), HttpVersion.Version11));

        var blocked = Assert.Single(await Server.LogEntriesAsync("web.whatsapp.com", 1));
        var forwarded = Assert.Single(await Server.LogEntriesAsync("a.test", 1));
        Assert.Equal(("https", "blocked"), (blocked.Transport, blocked.Outcome));
        Assert.Equal(("https", "forwarded"), (forwarded.Transport, forwarded.Outcome));
        var refusal = await Server.RefusalLoggedAsync("web.whatsapp.com"); // the refusal's log line says it came over HTTPS too
        Assert.Equal("https", CollectingSink.Property(refusal, "Transport"));
        Assert.Contains(" over {Transport}: ", refusal.MessageTemplate.Text, StringComparison.Ordinal);
        var metrics = await Server.MetricsTextAsync();
        Assert.Contains("nationaldns_queries_total{protocol=\"https\",outcome=\"blocked\"} 1", metrics, StringComparison.Ordinal);
    }

    private HttpRequestMessage Request(string method, QueryBuilder query, Version version)
    {
        var bytes = query.Build();
        var request = method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, new Uri($"{Server.DohUri}?dns={System.Buffers.Text.Base64Url.EncodeToString(bytes)}"))
            : new HttpRequestMessage(HttpMethod.Post, Server.DohUri) { Content = Body(bytes, "application/dns-message") };
        request.Version = version;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return request;
    }

    private static ByteArrayContent Body(byte[] bytes, string type) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(type) } };

    private async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request);
            return new Reply(
                response.StatusCode,
                response.Version,
                response.Content.Headers.ContentType?.MediaType,
                response.Headers.CacheControl?.ToString(),
                await response.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>A body sent without Content-Length, in 16 KB pieces, as a client streaming an unknown length does.</summary>
    private sealed class UnsizedContent(int length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = new byte[16 * 1024];
            for (var sent = 0; sent < length; sent += piece.Length)
            {
                await stream.WriteAsync(piece);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed record Reply(HttpStatusCode Status, Version Version, string? ContentType, string? CacheControl, byte[] Body);
}
