using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Resolution.Streams;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// NationalDns's own exchange with an upstream, the default forwarding engine: one query over UDP from a socket on a
/// random port, connected to the upstream so that the kernel delivers nothing from any other address or port, and
/// carrying no other query while this one is out (<see cref="UdpSocketPool"/> lends it and retires it after a few uses);
/// a fresh random ID and, with 0x20, randomised letter case; the client's RD, CD and DO bits. A datagram that is not
/// the reply to that very query (<see cref="ReplyMatcher"/>) is counted and ignored, and the socket keeps listening
/// until the attempt's deadline, so a forged datagram can neither win nor fail the query (RFC 5452). A truncated reply
/// is asked again over TCP, and DNS over TLS upstreams over their kept connection (<see cref="IStreamExchange"/>), with the same checks.
/// </summary>
internal sealed partial class WireExchange : IDisposable
{
    private readonly CaseEcho _caseEcho;
    private readonly IStreamExchange _streams;
    private readonly ILogger _logger;
    private readonly UpstreamMeters? _meters;
    private readonly UdpSocketPool _sockets;
    private readonly RandomBytes _random = new();
    private long _mismatched;

    /// <summary>An exchange that sends its UDP queries from <paramref name="sockets"/>, and closes them when it is disposed.</summary>
    public WireExchange(bool randomiseCase, IStreamExchange streams, UdpSocketPool sockets, ILogger logger, UpstreamMeters? meters = null)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(sockets);
        ArgumentNullException.ThrowIfNull(logger);
        _caseEcho = new CaseEcho(randomiseCase);
        _streams = streams;
        _sockets = sockets;
        _logger = logger;
        _meters = meters;
    }

    /// <summary>Datagrams and frames ignored so far because they were not the reply to their query.</summary>
    public long MismatchedReplies => Interlocked.Read(ref _mismatched);

    /// <summary>Asks <paramref name="server"/> one question. Matches <see cref="UpstreamExchange"/>.</summary>
    public async Task<UpstreamAnswer> AskAsync(UpstreamTarget server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(question);
        var query = UpstreamQuery.Create(question, flags, _caseEcho.IsOn(server.EndPoint), _random);
        if (server.Protocol == UpstreamProtocol.Tls)
        {
            return await AskStreamAsync(server, query, question, flags, cancellationToken);
        }

        var (truncated, answer) = await AskUdpAsync(server, query, question, flags, cancellationToken);
        if (!truncated)
        {
            return answer!;
        }

        // Truncated: the whole answer over TCP, as a new query with a new ID (RFC 7766 §5 lets the ID be reused; a new one costs nothing).
        return await AskStreamAsync(server, UpstreamQuery.Create(question, flags, _caseEcho.IsOn(server.EndPoint), _random), question, flags, cancellationToken);
    }

    private async Task<(bool Truncated, UpstreamAnswer? Answer)> AskUdpAsync(
        UpstreamTarget server, UpstreamQuery query, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        var socket = _sockets.Rent(server.EndPoint);
        while (true)
        {
            var answered = false;
            try
            {
                await socket.SendAsync(query.Bytes, cancellationToken);
                while (true)
                {
                    // Whatever arrives now is checked against this query alone: the socket carries no other.
                    var length = await socket.ReceiveAsync(cancellationToken);
                    var datagram = socket.Buffer.AsSpan(0, length);
                    var match = ReplyMatcher.Check(datagram, query);
                    if (match == ReplyMatch.Accepted)
                    {
                        if (query.HasMixedCase)
                        {
                            _caseEcho.Echoed(server.EndPoint);
                        }

                        if (IsTruncated(datagram) || length == UpstreamSocket.ReceiveBufferSize)
                        {
                            answered = true;
                            return (true, null);
                        }

                        var reply = datagram.ToArray();
                        query.RestoreCase(reply);
                        if (ReplyDecoder.TryDecode(reply, server, out var answer))
                        {
                            answered = true;
                            return (false, answer);
                        }
                    }

                    Mismatched(server, question, match == ReplyMatch.Accepted ? ReplyMatch.Malformed : match);
                    if (match == ReplyMatch.CaseMismatch)
                    {
                        // Ask again in the client's own case at once, rather than wait out the deadline for a reply that
                        // will not come from an upstream that lower-cases names; the forger's datagram changes nothing.
                        NoteCaseMismatch(server);
                        query = UpstreamQuery.Create(question, flags, randomiseCase: false, _random);
                        await socket.SendAsync(query.Bytes, cancellationToken);
                    }
                }
            }
            catch (SocketException e) when (socket.WasKept && IsLeftOver(e.SocketErrorCode))
            {
                // The error may have reached the kept socket while it was idle (a forged or late ICMP port unreachable)
                // and says nothing about this query: asked once more below, on a socket opened now, whose error would be its own.
            }
            finally
            {
                // A socket whose query timed out, was cancelled or failed is closed: its reply may still be on the way.
                _sockets.Return(socket, reusable: answered);
            }

            socket = _sockets.Rent(server.EndPoint, fresh: true);
        }
    }

    private async Task<UpstreamAnswer> AskStreamAsync(
        UpstreamTarget server, UpstreamQuery query, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        byte[] reply;
        while (true)
        {
            try
            {
                reply = await _streams.ExchangeAsync(server, query.Bytes, Accepts, cancellationToken);
                break;
            }
            catch (DnsQueryIdInUseException)
            {
                // Another query on the same connection drew the same ID (1 in 65,536 per query in flight): draw again.
                query = UpstreamQuery.Create(question, flags, query.HasMixedCase, _random);
            }
        }

        query.RestoreCase(reply);
        if (!ReplyDecoder.TryDecode(reply, server, out var answer))
        {
            throw new InvalidDataException($"The upstream {server} sent a malformed reply over {Transport(server)}.");
        }

        return answer;

        bool Accepts(ReadOnlyMemory<byte> frame)
        {
            var match = ReplyMatcher.Check(frame.Span, query);
            if (match is ReplyMatch.Accepted)
            {
                if (query.HasMixedCase)
                {
                    _caseEcho.Echoed(server.EndPoint);
                }

                return true;
            }

            // On a connection of its own a reply in another case is the upstream's, not a forger's (who would have to
            // be on the path of the stream, and with TLS could not be): taken, and counted towards turning 0x20 off.
            if (match is ReplyMatch.CaseMismatch)
            {
                NoteCaseMismatch(server);
                return true;
            }

            Mismatched(server, question, match);
            return false;
        }
    }

    public void Dispose()
    {
        _sockets.Dispose();
        _random.Dispose();
    }

    private void Mismatched(UpstreamTarget server, DnsQuestion question, ReplyMatch match)
    {
        Interlocked.Increment(ref _mismatched);
        _meters?.RecordMismatch(server, match);

        // A flood of forged datagrams must not become a flood of strings built for a log level that is off.
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.ReplyIgnored(_logger, server.ToString(), question.Name.ToString(), question.RecordType.ToString(), match.ToString());
        }
    }

    private void NoteCaseMismatch(UpstreamTarget server)
    {
        if (_caseEcho.Mismatched(server.EndPoint))
        {
            Log.CaseEchoOff(_logger, server.ToString(), CaseEcho.MismatchesBeforeOff);
        }
    }

    // What an ICMP error sets on a connected UDP socket, to be reported by its next send or receive.
    private static bool IsLeftOver(SocketError error) =>
        error is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable;

    private static bool IsTruncated(ReadOnlySpan<byte> reply) => (reply[2] & 0x02) != 0;

    private static string Transport(UpstreamTarget server) => server.Protocol == UpstreamProtocol.Tls ? "TLS" : "TCP";

    private static partial class Log
    {
        [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Ignored a reply from {Upstream} for {QueryName} {QueryType}: {Mismatch}")]
        public static partial void ReplyIgnored(ILogger logger, string upstream, string queryName, string queryType, string mismatch);

        [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Upstream {Upstream} does not echo the letter case of questions ({Count} replies in a row): 0x20 is off for it from now on")]
        public static partial void CaseEchoOff(ILogger logger, string upstream, int count);
    }
}
