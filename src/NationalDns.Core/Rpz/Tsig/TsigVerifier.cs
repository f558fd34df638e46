using System.Security.Cryptography;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>What checking a message's signature found.</summary>
public enum TsigStatus
{
    /// <summary>No TSIG RR.</summary>
    NotSigned,

    /// <summary>Signed with the key, MAC and time good.</summary>
    Valid,

    /// <summary>Signed, but not acceptably: <see cref="TsigCheck.Error"/> says how (BADKEY, BADSIG, BADTIME, BADTRUNC).</summary>
    Rejected,

    /// <summary>A TSIG RR that cannot be read, or that is not the message's last record (FORMERR).</summary>
    Malformed,
}

/// <summary>The outcome of a signature check, with the reason in words for the log.</summary>
public sealed record TsigCheck(TsigStatus Status, TsigError Error, string Reason)
{
    /// <summary>The TSIG RR read, when there was one.</summary>
    internal TsigRecord? Record { get; init; }

    public bool IsValid => Status == TsigStatus.Valid;

    /// <summary>The request's MAC, to which the answer's signature chains.</summary>
    internal byte[] Mac => Record?.Mac ?? [];
}

/// <summary>
/// Checks signatures made with one key (RFC 8945 §5.2, §5.3.1, §5.4), in the RFC's order: key and algorithm
/// (BADKEY), MAC length (BADTRUNC: only full-length MACs are taken), MAC (BADSIG), then the time within the fudge (BADTIME).
/// </summary>
public sealed class TsigVerifier(TsigKey key, TimeProvider time)
{
    public TsigKey Key => key;

    /// <summary>Checks a request (a transfer, a SOA query, a NOTIFY) as a server receives it.</summary>
    public TsigCheck VerifyRequest(ReadOnlySpan<byte> message) => Verify(message, ReadOnlySpan<byte>.Empty, timersOnly: false);

    /// <summary>Checks the messages of one answer to a request whose MAC was <paramref name="requestMac"/>, in order.</summary>
    public AnswerVerifier ForAnswer(byte[] requestMac) => new(this, requestMac);

    private TsigCheck Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> priorMac, bool timersOnly)
    {
        if (!TsigRecord.TryRead(message, out var record))
        {
            return new TsigCheck(TsigStatus.Malformed, TsigError.NoError, "malformed TSIG record, or not the last record");
        }

        if (record is null)
        {
            return new TsigCheck(TsigStatus.NotSigned, TsigError.NoError, $"not signed (TSIG key {key.Name} required)");
        }

        var digest = record.Digest(priorMac, record.Unsigned(message), timersOnly);
        return Check(record, digest);
    }

    private TsigCheck Check(TsigRecord record, byte[] digest)
    {
        if (!record.KeyName.AsSpan().SequenceEqual(key.WireName) || !record.AlgorithmName.AsSpan().SequenceEqual(key.Algorithm.WireName))
        {
            return Rejected(record, TsigError.BadKey, $"signed with key {record.KeyNameText} ({record.AlgorithmText}), not {key}");
        }

        if (record.Mac.Length != key.Algorithm.MacSize)
        {
            return Rejected(record, TsigError.BadTrunc, $"MAC of {record.Mac.Length} bytes; only full {key.Algorithm.MacSize}-byte MACs are taken");
        }

        if (!CryptographicOperations.FixedTimeEquals(key.Mac(digest), record.Mac))
        {
            return Rejected(record, TsigError.BadSig, $"bad MAC for key {key.Name} (another secret?)");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - record.TimeSigned) > record.Fudge)
        {
            return Rejected(record, TsigError.BadTime, $"signed at {DateTimeOffset.FromUnixTimeSeconds(record.TimeSigned):u}, {now - record.TimeSigned} s from this clock, beyond the fudge of {record.Fudge} s");
        }

        return record.Error == TsigError.NoError
            ? new TsigCheck(TsigStatus.Valid, TsigError.NoError, "valid") { Record = record }
            : Rejected(record, record.Error, $"the other end answered {record.Error.ToString().ToUpperInvariant()}");
    }

    private static TsigCheck Rejected(TsigRecord record, TsigError error, string reason) =>
        new(TsigStatus.Rejected, error, reason) { Record = record };

    /// <summary>
    /// Checks the messages of one answer in order. The first must be signed; a later one may be unsigned (RFC 8945
    /// §5.3.1 lets a server sign only every hundredth), and then the next signed one's MAC covers it too.
    /// </summary>
    public sealed class AnswerVerifier
    {
        private const int MaxUnsignedInARow = 99;

        private readonly TsigVerifier _verifier;
        private readonly List<byte[]> _unsigned = [];
        private byte[] _priorMac;
        private bool _first = true;
        private int _unsignedInARow;

        internal AnswerVerifier(TsigVerifier verifier, byte[] requestMac)
        {
            _verifier = verifier;
            _priorMac = requestMac;
        }

        /// <summary>True when the last message checked was signed: an answer must end with a signed message.</summary>
        public bool EndsSigned => _unsignedInARow == 0 && !_first;

        public TsigCheck Verify(ReadOnlySpan<byte> message)
        {
            if (!TsigRecord.TryRead(message, out var record))
            {
                return new TsigCheck(TsigStatus.Malformed, TsigError.NoError, "malformed TSIG record, or not the last record");
            }

            if (record is null)
            {
                if (_first || ++_unsignedInARow > MaxUnsignedInARow)
                {
                    return new TsigCheck(TsigStatus.NotSigned, TsigError.NoError, _first
                        ? $"answer not signed (TSIG key {_verifier.Key.Name} required)"
                        : $"more than {MaxUnsignedInARow} unsigned messages in a row");
                }

                _unsigned.Add(message.ToArray());
                return new TsigCheck(TsigStatus.Valid, TsigError.NoError, "unsigned, covered by the next signed message");
            }

            _unsigned.Add(record.Unsigned(message));
            var check = _verifier.Check(record, record.Digest(_priorMac, _unsigned.SelectMany(m => m).ToArray(), timersOnly: !_first));
            _unsigned.Clear();
            _first = false;
            _unsignedInARow = 0;
            _priorMac = record.Mac;
            return check;
        }
    }
}
