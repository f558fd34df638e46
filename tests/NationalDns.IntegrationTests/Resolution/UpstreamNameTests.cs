using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Resolution;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// An upstream given by name (<c>--upstream upstream.test:PORT</c>), looked up through a fake bootstrap resolver, with
/// the real host: two fake upstreams on the same port at 127.0.0.1 and 127.0.0.2 stand for its old and new address.
/// </summary>
public sealed class UpstreamNameTests : IAsyncLifetime
{
    private const string Name = "upstream.test";
    private static readonly IPAddress Moved = IPAddress.Parse("127.0.0.2");

    private readonly FakeTimeProvider _time = new();
    private FakeUpstream _bootstrap = null!;
    private FakeUpstream _first = null!;
    private FakeUpstream _second = null!;
    private volatile IPAddress _address = IPAddress.Loopback;

    public async Task InitializeAsync()
    {
        _bootstrap = await FakeUpstream.StartAsync();
        _bootstrap.Responder = Answer;
        (_first, _second) = await OnePortTwoAddressesAsync();
    }

    public async Task DisposeAsync()
    {
        await _bootstrap.DisposeAsync();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task A_query_is_answered_by_the_upstream_the_name_was_looked_up_to()
    {
        await using var server = await StartServerAsync();

        var answer = await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test"));

        Assert.Equal(["a.test. 300 IN A 192.0.2.1"], answer!.AnswerRecords.Select(r => r.ToString()));
        Assert.Equal((1, 0), (_first.CountFor("a.test"), _second.CountFor("a.test")));
        Assert.Equal(2, _bootstrap.CountFor(Name)); // A and AAAA, at start
        Assert.Single(server.Log.WithProperty("Upstreams", $"{Name} (127.0.0.1:{_first.EndPoint.Port})"));
    }

    [Fact]
    public async Task After_the_TTL_a_new_address_takes_the_queries()
    {
        await using var server = await StartServerAsync();
        Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("a.test")));

        _address = Moved;
        _time.Advance(TimeSpan.FromSeconds(60));

        // Until the look-up has happened queries still go to the old address; each poll asks once more.
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("b.test"));
            return _second.CountFor("b.test") > 0;
        }));
        var before = _first.CountFor("b.test");
        Assert.NotNull(await DnsTestClient.UdpAsync(server.EndPoint, QueryBuilder.For("b.test")));
        Assert.Equal(before, _first.CountFor("b.test"));
        // The move is logged just after the swap that the query above already saw: wait for the line too.
        Assert.True(await Eventually.TrueAsync(() => server.Log.WithProperty("Addresses", "127.0.0.2").Any()), "the move was never logged");
        var moved = Assert.Single(server.Log.WithProperty("Addresses", "127.0.0.2"));
        Assert.Equal((Name, "127.0.0.1"), (CollectingSink.Property(moved, "Name"), CollectingSink.Property(moved, "Previous")));
    }

    private Task<TestServer> StartServerAsync()
    {
        Assert.True(UpstreamSpec.TryParse($"{Name}:{_first.EndPoint.Port}", out var spec, out _));
        return TestServer.StartAsync(
            _first,
            string.Empty,
            s => s with
            {
                UpstreamSpecs = [spec],
                Upstream = s.Upstream with { Servers = [], Bootstrap = [_bootstrap.EndPoint] },
                Cache = new CacheOptions { MaxEntries = 0 }, // every query goes upstream, so it shows where the upstream is
            },
            services => services.AddSingleton<TimeProvider>(_time));
    }

    // The bootstrap resolver: upstream.test has one A record, the current address, with a TTL of 60 s, and no AAAA.
    private DnsMessage? Answer(DnsMessage query)
    {
        var question = query.Questions[0];
        if (!question.Name.Equals(DomainName.Parse(Name)))
        {
            return null;
        }

        var response = query.CreateResponseInstance();
        response.ReturnCode = ReturnCode.NoError;
        if (question.RecordType == RecordType.A)
        {
            response.AnswerRecords.Add(new ARecord(question.Name, 60, _address));
        }

        return response;
    }

    private static async Task<(FakeUpstream First, FakeUpstream Second)> OnePortTwoAddressesAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var first = await FakeUpstream.StartAsync();
            try
            {
                return (first, await FakeUpstream.StartAsync(new IPEndPoint(Moved, first.EndPoint.Port)));
            }
            catch (SocketException) when (attempt < 5)
            {
                // The port is taken on 127.0.0.2; try another.
                await first.DisposeAsync();
            }
        }
    }
}
