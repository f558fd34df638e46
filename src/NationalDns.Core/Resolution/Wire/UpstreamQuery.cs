using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// One query as sent to an upstream: a fresh random ID, the client's question with its letters' case randomised
/// when 0x20 is on, the client's RD, CD and DO bits, and an OPT record offering <see cref="EdnsPayload"/> octets.
/// The bytes are kept to check the reply against (<see cref="ReplyMatcher"/>).
/// </summary>
internal sealed class UpstreamQuery
{
    /// <summary>The UDP payload we offer upstream (DNS Flag Day 2020): larger answers come back truncated and are fetched over TCP.</summary>
    internal const ushort EdnsPayload = 1232;

    private const int OptSize = 11;
    private const int MaxNameSize = 255;

    private readonly byte[] _bytes;

    private readonly byte[]? _plainName;

    private UpstreamQuery(byte[] bytes, int questionEnd, byte[]? plainName)
    {
        _bytes = bytes;
        QuestionEnd = questionEnd;
        _plainName = plainName;
    }

    /// <summary>The whole query, header to OPT.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Where the question ends: header and question are <c>0..QuestionEnd</c>, the part a reply must echo.</summary>
    public int QuestionEnd { get; }

    /// <summary>The query's ID.</summary>
    public ushort Id => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>Whether any letter of the name was sent in another case than the client asked it.</summary>
    public bool HasMixedCase => _plainName is not null;

    /// <summary>
    /// Writes the query. With <paramref name="randomiseCase"/>, each ASCII letter of the name gets a random case
    /// (draft-vixie-dnsext-dns0x20): a forger must then guess the letters too, not only the ID and the port.
    /// </summary>
    /// <exception cref="UpstreamException">The name holds a character that is not an octet (it could not have come from the wire).</exception>
    public static UpstreamQuery Create(DnsQuestion question, UpstreamRequestFlags flags, bool randomiseCase, RandomBytes randomBytes)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(randomBytes);
        Span<byte> name = stackalloc byte[MaxNameSize];
        var nameLength = WriteName(question, name);

        // The ID and the case bits in one draw from the system's CSPRNG: both are what a forger has to guess.
        Span<byte> random = stackalloc byte[2 + (randomiseCase ? (nameLength + 7) / 8 : 0)];
        randomBytes.Fill(random);
        var plainName = randomiseCase ? name[..nameLength].ToArray() : null;
        if (plainName is not null && !RandomiseCase(name[..nameLength], random[2..]))
        {
            plainName = null;
        }

        var questionEnd = WireFormat.HeaderSize + nameLength + 4;
        var bytes = new byte[questionEnd + OptSize];
        var span = bytes.AsSpan();
        random[..2].CopyTo(span);
        span[2] = (byte)(flags.RecursionDesired ? 0x01 : 0x00);               // QR=0, opcode QUERY, RD
        span[3] = (byte)(flags.CheckingDisabled ? 0x10 : 0x00);               // CD
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);                  // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1);                 // ARCOUNT: the OPT record
        name[..nameLength].CopyTo(span[WireFormat.HeaderSize..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(questionEnd - 4)..], (ushort)question.RecordType);
        BinaryPrimitives.WriteUInt16BigEndian(span[(questionEnd - 2)..], (ushort)question.RecordClass);

        var opt = span[questionEnd..];
        opt[0] = 0;                                                           // owner: the root
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], EdnsPayload);
        BinaryPrimitives.WriteUInt32BigEndian(opt[5..], flags.DnssecOk ? 0x8000u : 0u); // extended RCODE 0, version 0, DO
        BinaryPrimitives.WriteUInt16BigEndian(opt[9..], 0);                   // no options
        return new UpstreamQuery(bytes, questionEnd, plainName);
    }

    /// <summary>
    /// Puts the client's letter case back into an accepted reply wherever the upstream copied the randomised one: the
    /// question, and owner names written out with it or a suffix of it (most owner names are compression pointers to
    /// the question, so this is mostly one overwrite). Record data is never touched: a name there is the zone's, in
    /// the zone's case, and may be covered by a signature. The client must see its own case, never our randomisation.
    /// A query sent in the client's own case gets its question back as sent, even from an upstream that answered over a
    /// stream in another case (<see cref="ReplyMatch.CaseMismatch"/> is taken there): the question is relayed from these octets.
    /// </summary>
    public void RestoreCase(Span<byte> reply)
    {
        if (reply.Length < QuestionEnd)
        {
            return;
        }

        if (_plainName is null)
        {
            _bytes.AsSpan(WireFormat.HeaderSize, QuestionEnd - WireFormat.HeaderSize).CopyTo(reply[WireFormat.HeaderSize..]);
            return;
        }

        _plainName.CopyTo(reply[WireFormat.HeaderSize..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]) + BinaryPrimitives.ReadUInt16BigEndian(reply[8..]) + BinaryPrimitives.ReadUInt16BigEndian(reply[10..]);
        var offset = QuestionEnd;
        for (var i = 0; i < records && offset < reply.Length; i++)
        {
            RestoreOwner(reply, offset);
            if (!WireNames.TrySkip(reply, ref offset) || offset + 10 > reply.Length)
            {
                return;
            }

            offset += 10 + BinaryPrimitives.ReadUInt16BigEndian(reply[(offset + 8)..]);
        }
    }

    // An owner name whose labels, up to a pointer or the root, are the randomised name or one of its suffixes, octet for octet.
    private void RestoreOwner(Span<byte> reply, int owner)
    {
        var sent = _bytes.AsSpan(WireFormat.HeaderSize, _plainName!.Length);
        for (var label = 0; label < sent.Length - 1; label += 1 + sent[label])
        {
            var suffix = sent[label..];
            if (owner + suffix.Length <= reply.Length && reply.Slice(owner, suffix.Length).SequenceEqual(suffix))
            {
                _plainName.AsSpan(label).CopyTo(reply[owner..]);
                return;
            }
        }
    }

    private static int WriteName(DnsQuestion question, Span<byte> name)
    {
        // ARSoft keeps each label as text, one character per octet: a dot or a NUL inside a label is just another octet.
        var offset = 0;
        foreach (var label in question.Name.Labels)
        {
            if (label.Length is 0 or > 63 || offset + 1 + label.Length + 1 > MaxNameSize)
            {
                throw new UpstreamException($"The name {question.Name} cannot be sent upstream: a label is empty or too long, or the name is over 255 octets.");
            }

            name[offset++] = (byte)label.Length;
            foreach (var c in label)
            {
                if (c > 0xFF)
                {
                    throw new UpstreamException($"The name {question.Name} holds a character that is not an octet.");
                }

                name[offset++] = (byte)c;
            }
        }

        name[offset++] = 0;
        return offset;
    }

    private static bool RandomiseCase(Span<byte> name, ReadOnlySpan<byte> bits)
    {
        var changed = false;
        var bit = 0;
        for (var i = 0; i < name.Length;)
        {
            var length = name[i++];
            for (var end = i + length; i < end; i++, bit++)
            {
                var c = name[i];
                if (IsAsciiLetter(c))
                {
                    var upper = (bits[bit / 8] & (1 << (bit % 8))) != 0;
                    var cased = upper ? (byte)(c & ~0x20) : (byte)(c | 0x20);
                    changed |= cased != c;
                    name[i] = cased;
                }
            }
        }

        return changed;
    }

    internal static bool IsAsciiLetter(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
}
