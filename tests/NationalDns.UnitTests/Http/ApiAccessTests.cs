using System.Net;
using Microsoft.AspNetCore.Http;
using NationalDns.Http;

namespace NationalDns.UnitTests.Http;

public sealed class ApiAccessTests
{
    private const string Token = "t0ken";

    private static HttpRequest Request(string peer = "127.0.0.1", string host = "127.0.0.1:8080", string? token = null, string? origin = null, string? site = null)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        http.Request.Host = new HostString(host);
        if (token is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + token;
        }

        if (origin is not null)
        {
            http.Request.Headers.Origin = origin;
        }

        if (site is not null)
        {
            http.Request.Headers["Sec-Fetch-Site"] = site;
        }

        return http.Request;
    }

    private static int? Status(IResult? result) => (result as IStatusCodeHttpResult)?.StatusCode;

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:8080")]
    [InlineData("::1", "[::1]:8080")]
    [InlineData("127.0.0.1", "localhost:8080")]
    [InlineData("::ffff:127.0.0.1", "localhost")]
    public void Reads_from_this_machine_need_no_token(string peer, string host)
    {
        Assert.Null(new ApiAccess(null, listenerIsLoopback: false).CheckRead(Request(peer, host)));
        Assert.Null(new ApiAccess(new ApiToken(Token), listenerIsLoopback: false).CheckRead(Request(peer, host)));
    }

    [Fact]
    public void Reads_from_another_host_need_the_token()
    {
        var access = new ApiAccess(new ApiToken(Token), listenerIsLoopback: false);

        Assert.Equal(401, Status(access.CheckRead(Request("192.0.2.7", "192.0.2.1:8080"))));
        Assert.Equal(401, Status(access.CheckRead(Request("192.0.2.7", "192.0.2.1:8080", token: "wrong"))));
        Assert.Null(access.CheckRead(Request("192.0.2.7", "192.0.2.1:8080", token: Token)));
        Assert.Equal(401, Status(new ApiAccess(null, listenerIsLoopback: false).CheckRead(Request("192.0.2.7", "192.0.2.1:8080"))));
    }

    [Theory]
    [InlineData("attacker.example:8080", null, null)]            // a rebound name now pointing at 127.0.0.1
    [InlineData("127.0.0.1:8080", "http://attacker.example", null)]
    [InlineData("127.0.0.1:8080", null, "cross-site")]
    [InlineData("127.0.0.1:8080", "http://127.0.0.1:9999", null)]  // another local service's page
    public void A_request_on_behalf_of_another_site_is_not_local(string host, string? origin, string? site)
    {
        var access = new ApiAccess(null, listenerIsLoopback: true);
        var request = Request(host: host, origin: origin, site: site);

        Assert.Equal(401, Status(access.CheckRead(request)));
        Assert.Equal(403, Status(access.CheckWrite(request)));
    }

    [Fact]
    public void The_consoles_own_requests_are_local()
    {
        var access = new ApiAccess(null, listenerIsLoopback: true);

        Assert.Null(access.CheckWrite(Request(origin: "http://127.0.0.1:8080", site: "same-origin")));
    }

    [Fact]
    public void With_a_token_configured_every_change_needs_it_even_from_loopback()
    {
        var access = new ApiAccess(new ApiToken(Token), listenerIsLoopback: true);

        Assert.Equal(401, Status(access.CheckWrite(Request())));
        Assert.Equal(401, Status(access.CheckWrite(Request(token: "wrong"))));
        Assert.Null(access.CheckWrite(Request(token: Token)));
        Assert.Null(access.CheckWrite(Request("192.0.2.7", "192.0.2.1:8080", token: Token)));
    }

    [Fact]
    public void Without_a_token_changes_come_only_from_this_machine_to_a_loopback_listener()
    {
        Assert.Null(new ApiAccess(null, listenerIsLoopback: true).CheckWrite(Request()));
        Assert.Equal(403, Status(new ApiAccess(null, listenerIsLoopback: false).CheckWrite(Request())));
        Assert.Equal(403, Status(new ApiAccess(null, listenerIsLoopback: true).CheckWrite(Request("192.0.2.7", "192.0.2.1:8080"))));
        Assert.Equal(401, Status(new ApiAccess(null, listenerIsLoopback: true).CheckWrite(Request(token: "anything"))));
    }
}
