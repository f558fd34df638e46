using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Hosting;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Rpz;

/// <summary>
/// With <c>--tsig-key</c>, checks the UDP messages about the feed's zone on their bytes, which the pipeline never sees:
/// a signed query for the zone (the SOA a secondary polls) and every NOTIFY for it. A signature that is not accepted
/// gets its refusal here (<see cref="TsigRefusals"/>), as does an unsigned NOTIFY; a good one goes through the pipeline
/// as usual and its answer is signed. Unsigned queries for the zone pass on untouched: its SOA is no secret.
/// </summary>
public sealed partial class SignedQueryGate : IUdpQueryHandler
{
    private readonly IUdpQueryHandler _inner;
    private readonly QueryDispatcher _dispatcher;
    private readonly string _zone;
    private readonly TsigVerifier _verifier;
    private readonly TsigSigner _signer;
    private readonly ILogger<SignedQueryGate> _logger;

    public SignedQueryGate(IUdpQueryHandler inner, QueryDispatcher dispatcher, string zone, TsigKey key, TimeProvider time, ILogger<SignedQueryGate> logger)
    {
        _inner = inner;
        _dispatcher = dispatcher;
        _zone = zone.TrimEnd('.');
        _verifier = new TsigVerifier(key, time);
        _signer = new TsigSigner(key, time);
        _logger = logger;
    }

    /// <summary>
    /// Whether a message in the pipeline came signed and verified. Over UDP only this gate lets a signed message about
    /// the zone through, and only once its signature checked out; over TCP nothing checks, so nothing counts as signed.
    /// </summary>
    public static bool IsVerified(QueryContext query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Protocol == TransportProtocol.Udp && query.Query.TSigOptions is not null;
    }

    public void Handle(IUdpAnswerSender sender, byte[] datagram, ClientEndPoint client)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(datagram);
        var isNotify = datagram.Length >= WireFormat.HeaderSize && (datagram[2] & 0xF8) == (int)OperationCode.Notify << 3;
        if (!IsAboutZone(datagram, isNotify))
        {
            _inner.Handle(sender, datagram, client);
            return;
        }

        var check = _verifier.VerifyRequest(datagram);
        if (check.Status == TsigStatus.NotSigned && !isNotify)
        {
            _inner.Handle(sender, datagram, client);
            return;
        }

        DnsMessage message;
        try
        {
            message = DnsMessage.Parse(datagram);
        }
#pragma warning disable CA1031 // Whatever the parser throws on hostile input means one thing: nothing to answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (!check.IsValid)
        {
            Refused(_logger, message.OperationCode, _zone, client.Address, check.Reason);
            sender.SendAnswer(TsigRefusals.Answer(message, check, _signer), client);
            return;
        }

        _ = AnswerSignedAsync(sender, message, check, client);
    }

    // A query (ARCOUNT > 0, as a TSIG RR needs) or NOTIFY whose single question is the zone's apex.
    private bool IsAboutZone(byte[] datagram, bool isNotify) =>
        datagram.Length > WireFormat.HeaderSize
        && (datagram[2] & 0x80) == 0
        && (isNotify || datagram[11] != 0 || datagram[10] != 0)
        && WireSummary.TryReadQuery(datagram, out var name, out _, out _, out _, out _, out _)
        && string.Equals(name, _zone, StringComparison.OrdinalIgnoreCase);

    private async Task AnswerSignedAsync(IUdpAnswerSender sender, DnsMessage query, TsigCheck check, ClientEndPoint client)
    {
        try
        {
            if (await _dispatcher.AnswerAsync(query, client, TransportProtocol.Udp) is { } response)
            {
                var unsigned = UdpQueryHandler.Encode(query, response);
                sender.SendAnswer(_signer.ForAnswer(check.Mac).Sign(unsigned), client);
            }
        }
#pragma warning disable CA1031 // An answer that cannot be encoded is one lost answer, never a lost server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SignFailed(_logger, e, client.Address);
        }
    }

    [LoggerMessage(EventId = 77, Level = LogLevel.Warning, Message = "{Opcode} for {Zone} from {Client} refused: TSIG {Reason}")]
    private static partial void Refused(ILogger logger, OperationCode opcode, string zone, IPAddress client, string reason);

    [LoggerMessage(EventId = 78, Level = LogLevel.Error, Message = "Could not answer the signed message from {Client}")]
    private static partial void SignFailed(ILogger logger, Exception exception, IPAddress client);
}
