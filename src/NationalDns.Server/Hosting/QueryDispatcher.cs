using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Pipeline;
using NationalDns.Server.Admission;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Hosting;

/// <summary>
/// The adapter between ARSoft's server events and the pipeline. It turns a received message into a
/// <see cref="QueryContext"/>, runs the pipeline, and hands the response back, or suppresses the answer
/// when the pipeline says nothing must be sent. The one last-resort catch of the server lives here.
/// </summary>
public sealed partial class QueryDispatcher
{
    private readonly QueryPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryDispatcher> _logger;
    private readonly DnsMetrics? _metrics;
    private readonly ClientAdmission? _admission;
    private readonly InFlightQueries _inFlight = new();

    public QueryDispatcher(QueryPipeline pipeline, TimeProvider time, ILogger<QueryDispatcher> logger, DnsMetrics? metrics = null, ClientAdmission? admission = null)
    {
        _pipeline = pipeline;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _admission = admission;
    }

    /// <summary>Queries being answered now; graceful shutdown waits for them (<see cref="InFlightQueries.DrainAsync"/>).</summary>
    public InFlightQueries InFlight => _inFlight;

    /// <summary>Cancelled when the server stops, so in-flight upstream queries end with it.</summary>
    public CancellationToken Stopping { get; set; }

    public async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var client = e.RemoteEndpoint;

        // A response (QR=1) or a non-DNS-message is never answered: answering responses invites reflection loops.
        if (e.Query is not DnsMessage { IsQuery: true } query)
        {
            Suppress(client, e.Query.TransactionID);
            return;
        }

        // UDP clients were admitted in the receive loop (AdmissionFastPath); TCP ones are checked here.
        if (e.TransportProtocol == TransportProtocol.Tcp && _admission is not null && !_admission.IsAllowed(client.Address))
        {
            _metrics?.CountQuery(TransportProtocol.Tcp, ServedOutcome.RefusedClient);
            e.Response = Responses.WithCode(query, ReturnCode.Refused);
            return;
        }

        var context = new QueryContext(query, client, e.TransportProtocol, _time.GetTimestamp());
        using var inFlight = _inFlight.Enter();
        try
        {
            var result = await _pipeline.HandleAsync(context, Stopping);
            Count(e.TransportProtocol, result);
            if (result.Response is null)
            {
                Suppress(client, query.TransactionID);
            }
            else
            {
                e.Response = result.Response;
            }
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            Suppress(client, query.TransactionID);
        }
#pragma warning disable CA1031 // The last-resort handler: a bug in one query must not take the server down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Unhandled(_logger, ex, client.ToString());
            e.Response = Responses.ServFail(query);
        }
    }

    private void Count(TransportProtocol protocol, QueryResult result)
    {
        if (_metrics is null)
        {
            return;
        }

        _metrics.CountQuery(protocol, result.Outcome);
        if (result is { Outcome: QueryOutcome.Blocked or QueryOutcome.Dropped, Rule: { } rule })
        {
            _metrics.CountRefusal(rule);
        }
    }

    // Keyed by transaction ID: over TCP one endpoint carries many queries, and only this one's answer must vanish.
    private static void Suppress(System.Net.IPEndPoint client, ushort transactionId)
    {
        if (client is ClientEndPoint endPoint)
        {
            endPoint.SuppressAnswer(transactionId);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unhandled error answering a query from {Client}; answered SERVFAIL")]
    private static partial void Unhandled(ILogger logger, Exception exception, string client);
}
