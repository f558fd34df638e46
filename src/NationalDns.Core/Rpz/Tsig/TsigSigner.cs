using System.Buffers.Binary;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>
/// Signs messages with one key (RFC 8945 §5.1, §5.3): a request on its own, and the messages of an answer chained to
/// the request's MAC and then each to the one before. The time signed is read from <see cref="TimeProvider"/>.
/// </summary>
public sealed class TsigSigner(TsigKey key, TimeProvider time)
{
    /// <summary>The clock skew allowed either way, as BIND, NSD and Knot use.</summary>
    public const ushort Fudge = 300;

    public TsigKey Key => key;

    /// <summary>The request with its TSIG RR appended, and the MAC the answer's signature will chain to.</summary>
    public (byte[] Message, byte[] Mac) SignRequest(ReadOnlySpan<byte> message)
    {
        var record = Sign(ReadOnlySpan<byte>.Empty, message, timersOnly: false, TsigError.NoError, [], Now());
        return (record.AppendTo(message), record.Mac);
    }

    /// <summary>Signs the messages of one answer to a request whose MAC was <paramref name="requestMac"/>, in order.</summary>
    public ResponseSigner ForAnswer(byte[] requestMac) => new(this, requestMac);

    /// <summary>
    /// The answer to a request whose signature was not accepted (RFC 8945 §5.2), <paramref name="message"/> being the
    /// answer's unsigned form: BADTIME signed, with this clock in Other Data; BADKEY, BADSIG and BADTRUNC with a TSIG RR
    /// that carries the error and no MAC, as nothing can be signed for a key not shared; an unsigned or malformed request's as is.
    /// </summary>
    public byte[] SignRefusal(ReadOnlySpan<byte> message, TsigCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check is not { Status: TsigStatus.Rejected, Record: { } request })
        {
            return message.ToArray();
        }

        if (check.Error == TsigError.BadTime)
        {
            return ForAnswer(request.Mac).SignBadTime(message, request.TimeSigned);
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        return new TsigRecord(request.KeyName, request.AlgorithmName, Now(), Fudge, [], id, check.Error, []).AppendTo(message);
    }

    internal long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private TsigRecord Sign(ReadOnlySpan<byte> priorMac, ReadOnlySpan<byte> message, bool timersOnly, TsigError error, byte[] otherData, long signedAt)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var unsignedRecord = new TsigRecord(key.WireName, key.Algorithm.WireName, signedAt, Fudge, [], id, error, otherData);
        return unsignedRecord with { Mac = key.Mac(unsignedRecord.Digest(priorMac, message, timersOnly)) };
    }

    /// <summary>The signer of one answer: the first message chains to the request's MAC, each later one to the one before.</summary>
    public sealed class ResponseSigner
    {
        private readonly TsigSigner _signer;
        private byte[] _priorMac;
        private bool _first = true;

        internal ResponseSigner(TsigSigner signer, byte[] requestMac)
        {
            _signer = signer;
            _priorMac = requestMac;
        }

        /// <summary>The next message of the answer, signed.</summary>
        public byte[] Sign(ReadOnlySpan<byte> message) => Sign(message, TsigError.NoError, [], _signer.Now());

        /// <summary>
        /// A BADTIME answer (RFC 8945 §5.2.3): signed, with the request's time signed and the server's clock in Other Data.
        /// </summary>
        public byte[] SignBadTime(ReadOnlySpan<byte> message, long requestTimeSigned) =>
            Sign(message, TsigError.BadTime, TsigRecord.TimeData(_signer.Now()), requestTimeSigned);

        private byte[] Sign(ReadOnlySpan<byte> message, TsigError error, byte[] otherData, long signedAt)
        {
            var record = _signer.Sign(_priorMac, message, timersOnly: !_first, error, otherData, signedAt);
            _first = false;
            _priorMac = record.Mac;
            return record.AppendTo(message);
        }
    }
}
