using System.Net;
using NationalDns.IntegrationTests.Support;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>The idle clock of a TCP connection, driven by a fake clock over a real loopback socket.</summary>
public sealed class TcpIdleTimeoutTests : IAsyncLifetime
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_justUnder = s_idleTimeout - TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly TcpTransport _transport;
    private TcpProbe _client = null!;
    private IServerConnection _connection = null!;

    public TcpIdleTimeoutTests() =>
        _transport = new TcpTransport(new IPEndPoint(IPAddress.Loopback, 0), s_idleTimeout, timeProvider: _time);

    public async Task InitializeAsync()
    {
        _transport.Bind();
        _client = await TcpProbe.ConnectAsync(_transport.BoundEndPoint);
        _connection = await _transport.AcceptWithinDeadlineAsync();
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _transport.Close();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Connection_without_a_query_is_closed_when_the_idle_timeout_passes()
    {
        var receiving = _connection.ReceiveAsync();

        _time.Advance(s_justUnder);
        var openJustBefore = _connection.CanRead && !receiving.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(openJustBefore);
        Assert.Null(await receiving.WaitAsync(s_deadline));
        Assert.Equal(0, _transport.OpenConnections);
        Assert.True(await _client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Reading_a_query_restarts_the_idle_clock()
    {
        var first = _connection.ReceiveAsync();
        _time.Advance(s_justUnder);
        await _client.SendAsync(DnsWire.Frame(DnsWire.Query(31, "clock.test")));
        var query = await first.WaitAsync(s_deadline);

        _time.Advance(TimeSpan.FromMilliseconds(2)); // a slow hand-off before ARSoft reads again
        var receiving = _connection.ReceiveAsync();
        _time.Advance(s_justUnder - TimeSpan.FromMilliseconds(2));
        var openJustBefore = _connection.CanRead && !receiving.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal<ushort?>(31, query?.MessageIdentification.TransactionID);
        Assert.True(openJustBefore);
        Assert.Null(await receiving.WaitAsync(s_deadline));
        Assert.False(_connection.CanRead);
    }

    [Fact]
    public async Task Writing_an_answer_restarts_the_idle_clock()
    {
        var query = await SendAndReceiveQueryAsync(32);
        var receiving = _connection.ReceiveAsync();

        _time.Advance(s_justUnder);
        await _connection.SendAsync(query);
        _time.Advance(s_justUnder);
        var openJustBefore = _connection.CanRead && !receiving.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(openJustBefore);
        Assert.Null(await receiving.WaitAsync(s_deadline));
        Assert.Equal<ushort?>(32, (await _client.ReadAnswerAsync())?.TransactionID);
    }

    [Fact]
    public async Task Answer_still_being_worked_on_at_the_idle_timeout_is_written_before_the_connection_closes()
    {
        var query = await SendAndReceiveQueryAsync(33);

        _time.Advance(s_idleTimeout);
        var openWhileAnswerPending = _transport.OpenConnections;
        var sent = await _connection.SendAsync(query);

        Assert.False(_connection.CanRead);
        Assert.Equal(1, openWhileAnswerPending);
        Assert.True(sent);
        Assert.Equal<ushort?>(33, (await _client.ReadAnswerAsync())?.TransactionID);
        Assert.Equal(0, _transport.OpenConnections);
        Assert.True(await _client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Answer_that_never_comes_holds_the_connection_one_more_idle_timeout_at_most()
    {
        await SendAndReceiveQueryAsync(34);
        _time.Advance(s_idleTimeout);

        _time.Advance(s_idleTimeout);

        Assert.True(await Eventually.TrueAsync(() => _transport.OpenConnections == 0));
        Assert.True(await _client.WaitForCloseAsync());
    }

    private async Task<DnsReceivedRawPackage> SendAndReceiveQueryAsync(ushort id)
    {
        await _client.SendAsync(DnsWire.Frame(DnsWire.Query(id, "clock.test")));
        return await _connection.ReceiveAsync().WaitAsync(s_deadline) ?? throw new InvalidOperationException("No query was read.");
    }
}
