using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Serves AXFR and IXFR of the published policy zone over TCP, in as many messages as the zone takes, to the clients
/// <c>--allow-transfer</c> names; anyone else gets REFUSED. With <c>--tsig-key</c> the request must be signed with the
/// key (else REFUSED when unsigned, NOTAUTH with the TSIG error when badly signed) and every message of the answer is signed. Every other TCP query, transfers of other zones included,
/// is left to the pipeline (which refuses those).
/// </summary>
public sealed partial class RpzTransferInterceptor : ITcpQueryInterceptor
{
    private const ushort IxfrType = 251;
    private const ushort AxfrType = 252;

    private readonly RpzPublisher _zone;
    private readonly TransferAccess _access;
    private readonly DnsMetrics? _metrics;
    private readonly ILogger<RpzTransferInterceptor> _logger;

    public RpzTransferInterceptor(RpzPublisher zone, TransferAccess access, ILogger<RpzTransferInterceptor> logger, DnsMetrics? metrics = null)
    {
        _zone = zone;
        _access = access;
        _logger = logger;
        _metrics = metrics;
    }

    public IEnumerable<byte[]>? Intercept(ReadOnlySpan<byte> message, IPAddress client)
    {
        // Nearly every TCP query is an ordinary one: a glance at the question type settles it before anything is parsed.
        if (QuestionType(message) is not (IxfrType or AxfrType))
        {
            return null;
        }

        DnsMessage query;
        try
        {
            query = DnsMessage.Parse(message.ToArray());
        }
#pragma warning disable CA1031 // Whatever the parser throws on hostile input: not a transfer this server can answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }

        if (query is not { IsQuery: true, OperationCode: OperationCode.Query, Questions.Count: 1 } || !query.Questions[0].Name.Equals(_zone.Shape.Origin))
        {
            return null;
        }

        var type = query.Questions[0].RecordType;
        if (!_access.IsAllowed(client))
        {
            Count(type, TransferResult.Refused);
            Log.Refused(_logger, type, client);
            return [Encode(Responses.WithCode(query, ReturnCode.Refused))];
        }

        TsigSigner.ResponseSigner? signer = null;
        if (_access.Verifier is { } verifier)
        {
            var check = verifier.VerifyRequest(message);
            if (!check.IsValid)
            {
                Count(type, TransferResult.Refused);
                Log.BadSignature(_logger, type, client, check.Reason);
                return [TsigRefusals.Answer(query, check, _access.Signer!)];
            }

            signer = _access.Signer!.ForAnswer(check.Mac);
        }

        var (records, result) = ZoneTransfer.For(query, _zone);
        Count(type, result);
        Log.Transfer(_logger, type, client, result, _zone.Current.Serial.Value);
        return MessagePacker.Pack(query, records).Select(m => signer is null ? Encode(m) : signer.Sign(Encode(m)));
    }

    private static byte[] Encode(DnsMessage message) => [.. MessageEncoder.Encode(message).ToArraySegment(false)];

    // The QTYPE of a one-question message, or 0 when the header or name cannot be walked.
    private static ushort QuestionType(ReadOnlySpan<byte> message)
    {
        if (message.Length < WireFormat.HeaderSize + 5 || BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1)
        {
            return 0;
        }

        var offset = WireFormat.HeaderSize;
        while (offset < message.Length && message[offset] != 0)
        {
            if (message[offset] > 63)
            {
                return 0; // a compression pointer or reserved label type: not in a question a resolver sends
            }

            offset += message[offset] + 1;
        }

        return offset + 3 <= message.Length ? BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 1)..]) : (ushort)0;
    }

    private void Count(RecordType type, TransferResult result) =>
        _metrics?.CountTransfer(type == RecordType.Axfr ? "axfr" : "ixfr", result.ToString().ToLowerInvariant());

    private static partial class Log
    {
        [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "{Type} to {Client}: {Result}, serial {Serial}")]
        public static partial void Transfer(ILogger logger, RecordType type, IPAddress client, TransferResult result, uint serial);

        [LoggerMessage(EventId = 64, Level = LogLevel.Warning, Message = "{Type} from {Client} refused: not in --allow-transfer")]
        public static partial void Refused(ILogger logger, RecordType type, IPAddress client);

        [LoggerMessage(EventId = 76, Level = LogLevel.Warning, Message = "{Type} from {Client} refused: TSIG {Reason}")]
        public static partial void BadSignature(ILogger logger, RecordType type, IPAddress client, string reason);
    }
}
