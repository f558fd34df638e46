using System.Net;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

public sealed class ClientEndPointTests
{
    [Theory]
    [InlineData("192.0.2.7", 5353, "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", 5353, "192.0.2.7")]
    [InlineData("2001:db8::1", 53, "2001:db8::1")]
    [InlineData("::1", 65535, "::1")]
    public void Socket_address_is_read_with_IPv4_mapped_clients_reported_as_IPv4(string address, int port, string expected)
    {
        var socketAddress = new IPEndPoint(IPAddress.Parse(address), port).Serialize();

        var client = ClientEndPoint.FromSocketAddress(socketAddress);

        Assert.Equal(new IPEndPoint(IPAddress.Parse(expected), port), client);
    }

    [Fact]
    public void Socket_address_keeps_the_IPv6_scope_id()
    {
        var linkLocal = new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), scopeid: 3);

        var client = ClientEndPoint.FromSocketAddress(new IPEndPoint(linkLocal, 53).Serialize());

        Assert.Equal(3, client.Address.ScopeId);
        Assert.Equal(linkLocal, client.Address);
    }

    [Fact]
    public void Query_from_the_client_carries_its_id_and_the_client_as_remote_endpoint()
    {
        var client = new ClientEndPoint(IPAddress.Loopback, 1053);
        var local = new IPEndPoint(IPAddress.Loopback, 53);

        var query = client.TryCreateQuery(DnsWire.Frame(DnsWire.Query(77, "ok.test")), local);

        Assert.Equal<ushort?>(77, query?.MessageIdentification.TransactionID);
        Assert.Same(client, query?.RemoteEndpoint);
        Assert.Same(local, query?.LocalEndpoint);
    }

    [Theory]
    [InlineData(0)] // nothing at all
    [InlineData(11)] // shorter than a header
    [InlineData(20)] // question cut short
    public void Message_that_cannot_be_answered_is_no_query(int keptBytes)
    {
        var client = new ClientEndPoint(IPAddress.Loopback, 1053);
        var message = DnsWire.Query(78, "cut-short.test")[..keptBytes];

        Assert.Null(client.TryCreateQuery(DnsWire.Frame(message), new IPEndPoint(IPAddress.Loopback, 53)));
    }

    [Fact]
    public void Suppression_swallows_only_the_answer_with_its_id()
    {
        var client = new ClientEndPoint(IPAddress.Loopback, 1053);

        client.SuppressAnswer(7);

        Assert.False(client.TryTakeOverride(answerId: 8, out _));
        Assert.True(client.TryTakeOverride(answerId: 7, out var octets));
        Assert.Null(octets);
        Assert.False(client.TryTakeOverride(answerId: 7, out _));
    }

    [Fact]
    public void A_replacement_is_taken_once_by_the_answer_with_its_id()
    {
        var client = new ClientEndPoint(IPAddress.Loopback, 1053);

        client.ReplaceAnswer(7, [1, 2, 3]);
        client.SuppressAnswer(9);

        Assert.False(client.TryTakeOverride(answerId: 8, out _));
        Assert.True(client.TryTakeOverride(answerId: 7, out var octets));
        Assert.Equal([1, 2, 3], octets);
        Assert.False(client.TryTakeOverride(answerId: 7, out _));
        Assert.True(client.TryTakeOverride(answerId: 9, out var suppressed));
        Assert.Null(suppressed);
    }

    [Fact]
    public void Concurrent_suppressions_are_each_consumed_once()
    {
        const int Count = 10_000;
        var client = new ClientEndPoint(IPAddress.Loopback, 1053);

        Parallel.For(0, Count, i => client.SuppressAnswer((ushort)i));
        var consumed = 0;
        Parallel.For(0, Count, i =>
        {
            if (client.TryTakeOverride((ushort)i, out _))
            {
                Interlocked.Increment(ref consumed);
            }
        });

        Assert.Equal(Count, consumed);
        Assert.False(client.TryTakeOverride(answerId: 1, out _));
    }
}
