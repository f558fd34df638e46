using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Transport;

namespace NationalDns.IntegrationTests.Transport;

/// <summary>
/// A real ARSoft <see cref="DnsServer"/> on our transports. It answers <c>A 192.0.2.1</c> for any name,
/// 40 A records for <see cref="BigName"/>, and sends nothing for <see cref="DropName"/> (unkeyed suppression)
/// and <see cref="DropByIdName"/> (suppression keyed by transaction ID).
/// </summary>
internal sealed class LoopbackDnsServer : IDisposable
{
    public const string DropName = "drop.test";
    public const string DropByIdName = "drop-by-id.test";
    public const string BigName = "big.test";
    public const int BigAnswerCount = 40;
    public static readonly IPAddress Answer = IPAddress.Parse("192.0.2.1");

    private readonly DnsServer _server;

    public LoopbackDnsServer(UdpTransport udp, TcpTransport tcp)
    {
        Udp = udp;
        Tcp = tcp;
        _server = new DnsServer(udp, tcp);
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
            new UdpTransport(new IPEndPoint(address, 0)),
            new TcpTransport(new IPEndPoint(address, 0), tcpIdleTimeout ?? TcpTransport.DefaultIdleTimeout, maxTcpConnections, tcpPerClient));

    public void Dispose()
    {
        try
        {
            _server.Stop();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is TaskCanceledException))
        {
            // ARSoft's Stop() throws when a transport loop had not started yet, and then skips Close().
            Udp.Close();
            Tcp.Close();
        }
    }

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        var query = (DnsMessage)e.Query;
        var response = query.CreateResponseInstance();
        Clients.Enqueue(e.RemoteEndpoint);

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            e.Response = response;
            return Task.CompletedTask;
        }

        var name = query.Questions[0].Name;
        Handled.Enqueue(name.ToString(false));

        if (name.Equals(DomainName.Parse(DropName)))
        {
            ((ClientEndPoint)e.RemoteEndpoint).SuppressNextAnswer();
        }
        else if (name.Equals(DomainName.Parse(DropByIdName)))
        {
            ((ClientEndPoint)e.RemoteEndpoint).SuppressAnswer(query.TransactionID);
        }

        var count = name.Equals(DomainName.Parse(BigName)) ? BigAnswerCount : 1;
        for (var i = 0; i < count; i++)
        {
            var address = count == 1 ? Answer : new IPAddress([192, 0, 2, (byte)(i + 1)]);
            response.AnswerRecords.Add(new ARecord(name, 300, address));
        }

        response.ReturnCode = ReturnCode.NoError;
        e.Response = response;
        return Task.CompletedTask;
    }
}
