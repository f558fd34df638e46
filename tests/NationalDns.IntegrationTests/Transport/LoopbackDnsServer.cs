using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.Pipeline;
using NationalDns.Server.Hosting;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>
/// Our transports serving as the server wires them: TCP through a real ARSoft <see cref="DnsServer"/>, UDP through
/// the real <see cref="UdpQueryHandler"/> over a one-stage pipeline. Both answer <c>A 192.0.2.1</c> for any name,
/// 40 A records for <see cref="BigName"/>, and nothing for <see cref="DropName"/> (over TCP by suppressing the
/// answer keyed by transaction ID).
/// </summary>
internal sealed class LoopbackDnsServer : IDisposable
{
    public const string DropName = "drop.test";
    public const string BigName = "big.test";
    public const int BigAnswerCount = 40;
    public static readonly IPAddress Answer = IPAddress.Parse("192.0.2.1");

    private readonly DnsServer _server;

    private LoopbackDnsServer(IPAddress address, TcpTransport tcp)
    {
        var dispatcher = new QueryDispatcher(new QueryPipeline([new AnswerStage(this)]), TimeProvider.System, NullLogger<QueryDispatcher>.Instance);
        Udp = new UdpTransport(new IPEndPoint(address, 0), new UdpQueryHandler(dispatcher, NullLogger<UdpQueryHandler>.Instance));
        Tcp = tcp;
        Udp.Bind();
        Udp.Start();
        _server = new DnsServer(tcp);
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            Exceptions.Enqueue(e.Exception);
            return Task.CompletedTask;
        };
        _server.Start();
    }

    public UdpTransport Udp { get; }

    public TcpTransport Tcp { get; }

    /// <summary>Names of the queries the handler saw, in arrival order.</summary>
    public ConcurrentQueue<string> Handled { get; } = new();

    /// <summary>The endpoint objects the handler was given.</summary>
    public ConcurrentQueue<IPEndPoint> Clients { get; } = new();

    /// <summary>Everything ARSoft reported through <see cref="DnsServer.ExceptionThrown"/>.</summary>
    public ConcurrentQueue<Exception> Exceptions { get; } = new();

    public static LoopbackDnsServer Start(
        IPAddress address,
        TimeSpan? tcpIdleTimeout = null,
        int maxTcpConnections = TcpTransport.DefaultMaxConnections,
        int tcpPerClient = TcpConnectionTable.DefaultPerClient) =>
        new(
            address,
            new TcpTransport(new IPEndPoint(address, 0), tcpIdleTimeout ?? TcpTransport.DefaultIdleTimeout, maxTcpConnections, tcpPerClient));

    public void Dispose()
    {
        Udp.Close();
        try
        {
            _server.Stop();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is TaskCanceledException))
        {
            // ARSoft's Stop() throws when a transport loop had not started yet, and then skips Close().
            Tcp.Close();
        }
    }

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        var query = (DnsMessage)e.Query;
        var response = Respond(query, e.RemoteEndpoint);
        if (response is null)
        {
            ((ClientEndPoint)e.RemoteEndpoint).SuppressAnswer(query.TransactionID);
            response = query.CreateResponseInstance();
        }

        e.Response = response;
        return Task.CompletedTask;
    }

    // The one answer of both transports: null means send nothing.
    private DnsMessage? Respond(DnsMessage query, IPEndPoint client)
    {
        var response = query.CreateResponseInstance();
        Clients.Enqueue(client);

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var name = query.Questions[0].Name;
        Handled.Enqueue(name.ToString(false));

        if (name.Equals(DomainName.Parse(DropName)))
        {
            return null;
        }

        var count = name.Equals(DomainName.Parse(BigName)) ? BigAnswerCount : 1;
        for (var i = 0; i < count; i++)
        {
            var address = count == 1 ? Answer : new IPAddress([192, 0, 2, (byte)(i + 1)]);
            response.AnswerRecords.Add(new ARecord(name, 300, address));
        }

        response.ReturnCode = ReturnCode.NoError;
        return response;
    }

    private sealed class AnswerStage(LoopbackDnsServer server) : IQueryStage
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken) =>
            ValueTask.FromResult(server.Respond(query.Query, query.Client) is { } response
                ? new QueryResult(response, QueryOutcome.Forwarded)
                : new QueryResult(null, QueryOutcome.Dropped));
    }
}
