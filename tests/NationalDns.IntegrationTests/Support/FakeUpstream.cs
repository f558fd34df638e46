using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// An in-process upstream resolver on 127.0.0.1 for integration tests: an ARSoft <see cref="DnsServer"/> on UDP and
/// TCP that answers from <see cref="FakeZone"/>, records every query it receives, and lets a test override answers.
/// </summary>
/// <remarks>
/// UDP answers are capped at <see cref="UdpPayloadLimit"/> octets (as many resolvers do since DNS Flag Day 2020),
/// so <see cref="FakeZone.BigName"/> comes back truncated over UDP and whole over TCP.
/// </remarks>
public sealed class FakeUpstream : IAsyncDisposable
{
    /// <summary>The largest UDP answer this upstream sends to an EDNS client; larger answers are truncated with TC=1.</summary>
    public const ushort UdpPayloadLimit = 1232;

    private const int MaxStartAttempts = 5;
    private const int TransportTimeoutMilliseconds = 5000;
    private const int TcpKeepAliveMilliseconds = 1000;

    private readonly DnsServer _server;
    private readonly ConcurrentQueue<ObservedQuery> _queries = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _delayTicks;
    private bool _silent;

    private FakeUpstream(IPEndPoint endPoint)
    {
        EndPoint = endPoint;
        _server = new DnsServer(
            new UdpServerTransport(endPoint, TransportTimeoutMilliseconds),
            new TcpServerTransport(endPoint, TransportTimeoutMilliseconds, TcpKeepAliveMilliseconds));
        _server.QueryReceived += OnQueryReceivedAsync;
    }

    /// <summary>Where the upstream listens, for UDP and TCP alike.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// Consulted before the zone for every query. Return a response (start from <see cref="DnsMessage.CreateResponseInstance"/>)
    /// to send it instead of the zone's answer, or null to let the zone answer.
    /// </summary>
    public Func<DnsMessage, DnsMessage?>? Responder { get; set; }

    /// <summary>How long every answer is held back before it is sent, to play a slower upstream; zero by default.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _delayTicks));
        set => Volatile.Write(ref _delayTicks, value.Ticks);
    }

    /// <summary>While set, every answer waits for this task to end before it is sent: an upstream as slow as the test needs.</summary>
    public Task? HeldUntil { get; set; }

    /// <summary>
    /// While true, every query is recorded but left unanswered, as <see cref="FakeZone.SilentName"/> always is: an
    /// upstream that is up but does not answer. Queries held meanwhile stay unanswered after it is set back to false.
    /// </summary>
    public bool Silent
    {
        get => Volatile.Read(ref _silent);
        set => Volatile.Write(ref _silent, value);
    }

    /// <summary>Every query received so far, in arrival order.</summary>
    public IReadOnlyList<ObservedQuery> Queries => [.. _queries];

    /// <summary>Starts an upstream on a free loopback port.</summary>
    public static async Task<FakeUpstream> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(new IPEndPoint(IPAddress.Loopback, FreePort.ForUdpAndTcp(IPAddress.Loopback)));
            }
            catch (SocketException) when (attempt < MaxStartAttempts)
            {
                // Someone took the port between the probe and the bind; pick another port.
            }
        }
    }

    /// <summary>Starts an upstream at <paramref name="endPoint"/> exactly; a port already taken throws <see cref="SocketException"/>.</summary>
    public static Task<FakeUpstream> StartAsync(IPEndPoint endPoint)
    {
        var upstream = new FakeUpstream(endPoint);
        try
        {
            upstream._server.Start();
            return Task.FromResult(upstream);
        }
        catch (SocketException)
        {
            // Release what did bind before the caller tries again.
            upstream._server.Stop();
            throw;
        }
    }

    /// <summary>How many queries for <paramref name="name"/> arrived (case-insensitive, trailing dot optional), over any transport.</summary>
    public int CountFor(string name) => _queries.Count(query => SameName(query.Name, name));

    /// <summary>Releases queries held unanswered or delayed and stops listening.</summary>
    public ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        try
        {
            _server.Stop();
        }
        catch (AggregateException stopped) when (stopped.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // ARSoft's Stop waits for its listener tasks and rethrows their cancellation, now and then, on a busy machine.
        }

        return ValueTask.CompletedTask;
    }

    private static bool SameName(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || query.Questions.Count != 1)
        {
            return;
        }

        _queries.Enqueue(ObservedQuery.From(query, e.TransportProtocol));
        var response = Silent ? null : Responder?.Invoke(query) ?? FakeZone.Respond(query);
        if (Delay > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(Delay), _stopping.Task);
        }

        if (HeldUntil is { } release)
        {
            await Task.WhenAny(release, _stopping.Task);
        }

        if (response is null)
        {
            // ARSoft cannot drop a query, so hold it until the upstream stops; by then the client has given up.
            await _stopping.Task;
            return;
        }

        if (e.TransportProtocol == TransportProtocol.Udp && response.IsEDnsEnabled)
        {
            // ARSoft truncates UDP answers to the response's advertised payload size.
            response.EDnsOptions!.UdpPayloadSize = Math.Min(response.EDnsOptions.UdpPayloadSize, UdpPayloadLimit);
        }

        e.Response = response;
    }
}

/// <summary>One query as <see cref="FakeUpstream"/> received it.</summary>
/// <param name="Name">The query name in lower case (the forwarder randomises letter case, 0x20), without the trailing dot.</param>
/// <param name="Type">The query type.</param>
/// <param name="RecursionDesired">The RD bit.</param>
/// <param name="DnssecOk">The DO bit of the OPT record (false without EDNS).</param>
/// <param name="CheckingDisabled">The CD bit.</param>
/// <param name="EDnsPresent">Whether the query carried an OPT record.</param>
/// <param name="Transport">UDP or TCP.</param>
public sealed record ObservedQuery(
    string Name,
    RecordType Type,
    bool RecursionDesired,
    bool DnssecOk,
    bool CheckingDisabled,
    bool EDnsPresent,
    TransportProtocol Transport)
{
    /// <summary>The query name exactly as received, letter case included, without the trailing dot.</summary>
    public string NameAsSent { get; private init; } = Name;

    internal static ObservedQuery From(DnsMessage query, TransportProtocol transport)
    {
        var question = query.Questions[0];
        var asSent = string.Join('.', question.Name.Labels);
        return new ObservedQuery(
            asSent.ToLowerInvariant(),
            question.RecordType,
            query.IsRecursionDesired,
            query.IsDnsSecOk,
            query.IsCheckingDisabled,
            query.IsEDnsEnabled,
            transport) { NameAsSent = asSent };
    }
}
