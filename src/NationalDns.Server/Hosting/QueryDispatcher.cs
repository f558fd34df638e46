using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Hosting;

/// <summary>
/// The adapter between the transports and the pipeline. It turns a received message into a
/// <see cref="QueryContext"/>, runs the pipeline, and hands the response back, or says (or, for ARSoft's TCP
/// path, arranges) that nothing must be sent. The one last-resort catch of the server lives here.
/// </summary>
public sealed partial class QueryDispatcher
{
    private readonly QueryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryDispatcher> _logger;
    private readonly DnsMetrics? _metrics;
    private readonly InFlightQueries _inFlight = new();

    public QueryDispatcher(QueryPipeline pipeline, TimeProvider time, ILogger<QueryDispatcher> logger, DnsMetrics? metrics = null)
    {
        _pipeline = pipeline;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Queries being answered now; graceful shutdown waits for them (<see cref="InFlightQueries.DrainAsync"/>).</summary>
    public InFlightQueries InFlight => _inFlight;

    /// <summary>Cancelled when the server stops, so in-flight upstream queries end with it.</summary>
    public CancellationToken Stopping { get; set; }

    /// <summary>ARSoft's event for queries over TCP: the answer, or nothing sent when the pipeline says so.</summary>
    public async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var response = await AnswerAsync(e.Query, e.RemoteEndpoint, e.TransportProtocol);
        if (response is null)
        {
            Suppress(e.RemoteEndpoint, e.Query.TransactionID);
        }
        else
        {
            // ARSoft encodes every answer it sends; a forwarded or cached one goes out as composed from the upstream's
            // octets instead, as over UDP and HTTPS.
            if (e.RemoteEndpoint is ClientEndPoint endPoint && RelayComposer.TryCompose(response, ushort.MaxValue) is { } octets)
            {
                endPoint.ReplaceAnswer(response.TransactionID, octets);
            }

            e.Response = response;
        }
    }

    /// <summary>
    /// Runs one received message through the pipeline: the response to send, or null when nothing must be sent
    /// (a response or other non-query message, a drop, a query cut off by shutdown).
    /// </summary>
    public async ValueTask<DnsMessage?> AnswerAsync(DnsMessageBase message, IPEndPoint client, TransportProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(message);

        // A response (QR=1) or a non-DNS-message is never answered: answering responses invites reflection loops.
        if (message is not DnsMessage { IsQuery: true } query)
        {
            return null;
        }

        var context = new QueryContext(query, client, protocol, _time.GetTimestamp());
        using var inFlight = _inFlight.Enter();
        try
        {
            var result = await _pipeline.HandleAsync(context, Stopping);
            Count(protocol, result);
            return result.Response;
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // The last-resort handler: a bug in one query must not take the server down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Unhandled(_logger, ex, client.ToString());
            return Responses.ServFail(query);
        }
    }

    private void Count(TransportProtocol protocol, QueryResult result)
    {
        if (_metrics is null)
        {
            return;
        }

        // A throttled query that got through was delayed by policy, not simply forwarded: it has an outcome of its own.
        if (result is { Throttle.Dropped: false, Outcome: QueryOutcome.Forwarded or QueryOutcome.Cached })
        {
            _metrics.CountQuery(protocol, ServedOutcome.Throttled);
            return;
        }

        _metrics.CountQuery(protocol, result.Outcome);
        if (result is { Outcome: QueryOutcome.Blocked or QueryOutcome.Dropped, Rule: { } rule })
        {
            _metrics.CountRefusal(rule);
        }
    }

    // Keyed by transaction ID: over TCP one endpoint carries many queries, and only this one's answer must vanish.
    private static void Suppress(IPEndPoint client, ushort transactionId)
    {
        if (client is ClientEndPoint endPoint)
        {
            endPoint.SuppressAnswer(transactionId);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unhandled error answering a query from {Client}; answered SERVFAIL")]
    private static partial void Unhandled(ILogger logger, Exception exception, string client);
}
