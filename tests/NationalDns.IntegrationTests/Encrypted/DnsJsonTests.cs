using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>
/// The JSON form of DNS over HTTPS (<c>application/dns-json</c>) at Google's <c>/resolve</c> and Cloudflare's
/// <c>/dns-query?name=</c>: the exact JSON for a blocked and an allowed name, the query parameters, the 400s, and the
/// same log and metrics as the wire form; with HttpClient and with curl.
/// </summary>
public sealed class DnsJsonTests : PinnedDohTests
{
    private const string Curl = "/usr/bin/curl";

    private const string BlockedJson =
        """{"Status":3,"TC":false,"RD":true,"RA":true,"AD":false,"CD":false,"Question":[{"name":"web.whatsapp.com.","type":1}],"Authority":[{"name":"whatsapp.com.","type":6,"TTL":60,"data":"nationaldns.invalid. hostmaster.nationaldns.invalid. 1 3600 600 86400 60"}],"Comment":["EDE(16): Censored: web.whatsapp.com blocked by rule whatsapp.com (national.txt:2)"]}""";

    private const string AllowedJson =
        """{"Status":0,"TC":false,"RD":true,"RA":true,"AD":false,"CD":false,"Question":[{"name":"a.test.","type":1}],"Answer":[{"name":"a.test.","type":1,"TTL":300,"data":"192.0.2.1"}],"Authority":[{"name":"test.","type":2,"TTL":86400,"data":"ns1.test."}],"Additional":[{"name":"ns1.test.","type":1,"TTL":86400,"data":"192.0.2.53"}]}""";

    private Uri At(string pathAndQuery) => new($"https://127.0.0.1:{Server.Https!.Port}{pathAndQuery}");

    [Fact]
    public async Task Resolve_answers_a_blocked_name_NXDOMAIN_with_the_censored_EDE_and_an_allowed_one_with_the_upstreams_records()
    {
        var blocked = await GetAsync("/resolve?name=web.whatsapp.com&type=A");
        var allowed = await GetAsync("/resolve?name=a.test");

        Assert.Equal((HttpStatusCode.OK, "application/dns-json", "max-age=60"), (blocked.Status, blocked.ContentType, blocked.CacheControl));
        AssertSameJson(BlockedJson, blocked.Body);
        Assert.Equal((HttpStatusCode.OK, "application/dns-json", "max-age=300"), (allowed.Status, allowed.ContentType, allowed.CacheControl));
        AssertSameJson(AllowedJson, allowed.Body);
    }

    [Theory]
    [InlineData("/dns-query?name=web.whatsapp.com&type=1", null)]
    [InlineData("/dns-query?name=web.whatsapp.com.&type=a", "application/dns-json")]
    [InlineData("/resolve?name=web.whatsapp.com&type=A&do=&cd=0", null)]
    public async Task Cloudflares_form_and_every_spelling_of_the_type_reach_the_same_answer(string pathAndQuery, string? accept)
    {
        var reply = await GetAsync(pathAndQuery, accept);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        AssertSameJson(BlockedJson, reply.Body);
    }

    [Fact]
    public async Task The_DO_and_CD_flags_and_a_numbered_type_reach_the_pipeline_and_the_upstream()
    {
        var reply = await GetAsync("/resolve?name=a.test&type=28&do=1&cd=true");

        using (var json = JsonDocument.Parse(reply.Body))
        {
            var root = json.RootElement;
            Assert.True(root.GetProperty("CD").GetBoolean(), reply.Body);
            Assert.Equal(28, root.GetProperty("Question")[0].GetProperty("type").GetInt32());
        }

        var entry = Assert.Single(await Server.LogEntriesAsync("a.test", 1));
        Assert.Equal(("https", "AAAA", true, true), (entry.Transport, entry.Type, entry.DnssecOk, entry.CheckingDisabled));
        var seen = Assert.Single(Server.Upstream.Queries, q => q.Name.TrimEnd('.') == "a.test");
        Assert.True(seen.CheckingDisabled);
    }

    [Theory]
    [InlineData("/resolve", "missing name parameter")]
    [InlineData("/resolve?name=&type=A", "missing name parameter")]
    [InlineData("/resolve?name=a..test", "invalid name 'a..test': empty label, label over 63 octets or name over 255 octets")]
    [InlineData("/resolve?name=a.test&type=AXX", "invalid type 'AXX': a mnemonic (A, AAAA, HTTPS, ...) or a number from 1 to 65535")]
    [InlineData("/resolve?name=a.test&type=0", "invalid type '0': a mnemonic (A, AAAA, HTTPS, ...) or a number from 1 to 65535")]
    [InlineData("/resolve?name=a.test&type=65536", "invalid type '65536': a mnemonic (A, AAAA, HTTPS, ...) or a number from 1 to 65535")]
    [InlineData("/resolve?name=a.test&cd=2", "invalid cd flag '2': empty or one of 0, false, 1, true")]
    [InlineData("/dns-query?name=a.test&do=yes", "invalid do flag 'yes': empty or one of 0, false, 1, true")]
    public async Task Bad_parameters_get_400_with_a_one_line_reason_and_never_reach_the_upstream(string pathAndQuery, string reason)
    {
        var reply = await GetAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("application/dns-json", reply.ContentType);
        Assert.Equal($"{{\"error\":\"{reason}\"}}\n", reply.Body);
        Assert.Empty(Server.Upstream.Queries);
    }

    [Fact]
    public async Task Resolve_takes_only_GET_and_the_wire_form_stays_where_it_was()
    {
        using var post = await Http.PostAsync(At("/resolve?name=a.test"), new StringContent(""));
        var wireWithoutQuery = await GetAsync("/dns-query");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET", post.Content.Headers.Allow.Single());
        Assert.Equal((HttpStatusCode.BadRequest, "text/plain"), (wireWithoutQuery.Status, wireWithoutQuery.ContentType));
    }

    [Fact]
    public async Task JSON_queries_are_logged_and_counted_with_transportHttps_like_wire_ones()
    {
        await GetAsync("/resolve?name=web.whatsapp.com");
        await GetAsync("/dns-query?name=a.test", "application/dns-json");

        var blocked = Assert.Single(await Server.LogEntriesAsync("web.whatsapp.com", 1));
        var forwarded = Assert.Single(await Server.LogEntriesAsync("a.test", 1));
        Assert.Equal(("https", "blocked", "whatsapp.com"), (blocked.Transport, blocked.Outcome, blocked.Rule));
        Assert.Equal(("https", "forwarded"), (forwarded.Transport, forwarded.Outcome));
        Assert.Contains("nationaldns_queries_total{protocol=\"https\",outcome=\"blocked\"} 1", await Server.MetricsTextAsync(), StringComparison.Ordinal);
    }

    [InstalledFact(Curl, "curl")]
    public async Task Curl_gets_the_same_JSON_as_Cloudflares_example_asks_for_it()
    {
        var port = Server.Https!.Port.ToString(CultureInfo.InvariantCulture);
        string[] pinned = ["--silent", "--show-error", "--pinnedpubkey", $"sha256//{Server.LoggedPin}", "--insecure", "--header", "accept: application/dns-json"];

        var blocked = await ClientProgram.RunAsync(Curl, [.. pinned, $"https://127.0.0.1:{port}/dns-query?name=web.whatsapp.com&type=A"]);
        var allowed = await ClientProgram.RunAsync(Curl, [.. pinned, "--http1.1", $"https://127.0.0.1:{port}/resolve?name=a.test&type=A"]);

        Assert.True(blocked.ExitCode == 0, blocked.Output);
        AssertSameJson(BlockedJson, blocked.Output);
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        AssertSameJson(AllowedJson, allowed.Output);
    }

    // The whole text on failure: where two JSON lines part is rarely within the few characters xUnit shows.
    private static void AssertSameJson(string expected, string actual) => Assert.True(expected == actual, $"expected {expected}\nactual   {actual}");

    private async Task<Reply> GetAsync(string pathAndQuery, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, At(pathAndQuery));
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await Http.SendAsync(request);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.CacheControl?.ToString(), await response.Content.ReadAsStringAsync());
    }

    private sealed record Reply(HttpStatusCode Status, string? ContentType, string? CacheControl, string Body);
}
