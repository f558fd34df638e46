using System.Buffers.Binary;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Core.Caching;

/// <summary>
/// A cached answer as the bytes the server would send, made once per entry (and per EDNS or not) for the UDP fast
/// path: encoded by ARSoft itself, so it is the pipeline's own encoding, for a lower-case query with ID 0, together
/// with where each TTL and the OPT payload size sit. A hit copies the bytes and patches the ID, the RD and CD bits,
/// the question (the client's letter case), the TTLs (counted down by the entry's age) and the payload size.
/// </summary>
/// <remarks>
/// EDNS and plain answers need templates of their own: ARSoft writes OPT first in the additional section, so every
/// compression pointer into the records after it depends on whether it is there.
/// </remarks>
internal sealed class WireAnswer
{
    private WireAnswer(byte[] bytes, int questionEnd, int payloadSizeOffset, int[] ttlOffsets, uint[] ttls, string[] chainTargets)
    {
        Bytes = bytes;
        PayloadSizeOffset = payloadSizeOffset;
        QuestionEnd = questionEnd;
        TtlOffsets = ttlOffsets;
        Ttls = ttls;
        ChainTargets = chainTargets;
    }

    /// <summary>The encoded response at age 0.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where the OPT record's payload size (its CLASS field) sits, or -1 in a template for plain DNS.</summary>
    public int PayloadSizeOffset { get; }

    /// <summary>Where the question ends (header and question are 12..QuestionEnd).</summary>
    public int QuestionEnd { get; }

    /// <summary>The offset of every record's TTL in <see cref="Bytes"/>.</summary>
    public int[] TtlOffsets { get; }

    /// <summary>Each record's TTL at age 0, to count down from.</summary>
    public uint[] Ttls { get; }

    /// <summary>
    /// The names the answer's CNAME chain leads through (normalised as rules are), so the fast path can check them
    /// against the rules of the moment: a rule added after the answer was cached must still cut the chain.
    /// </summary>
    public string[] ChainTargets { get; }

    /// <summary>
    /// The entry's answer as bytes for a client with or without EDNS, or null when it cannot be served that way
    /// (extended RCODE, names with escapes, a class other than IN). DO is part of the entry's key, so it is fixed here.
    /// </summary>
    public static WireAnswer? TryCreate(CacheEntry entry, bool edns)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = entry.Key;

        // Only what the fast path can look up: plain names (no escapes), class IN, codes that fit the header.
        if ((int)entry.ReturnCode > 15 || key.Name.Contains('\\', StringComparison.Ordinal) || key.Class != (ushort)RecordClass.INet
            || !DomainName.TryParse(key.Name, out var parsed) || parsed is not { } name)
        {
            return null;
        }

        if (key.DnssecOk && !edns)
        {
            return null;
        }

        var query = new DnsMessage { IsQuery = true, IsRecursionDesired = true, IsEDnsEnabled = edns };
        if (edns)
        {
            query.EDnsOptions!.UdpPayloadSize = Pipeline.Responses.MaxUdpPayload;
            query.IsDnsSecOk = key.DnssecOk;
        }

        query.Questions.Add(new DnsQuestion(name, (RecordType)key.Type, RecordClass.INet));
        var response = entry.CreateResponse(query, 0);
        var bytes = MessageEncoder.Encode(response).ToArraySegment(false).ToArray();
        if (!TryFindTtls(bytes, out var questionEnd, out var payloadSizeOffset, out var offsets) || (payloadSizeOffset >= 0) != edns)
        {
            return null;
        }

        var ttls = offsets.Select(o => BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(o))).ToArray();
        return new WireAnswer(bytes, questionEnd, payloadSizeOffset, offsets, ttls, ChainFrom(name, response.AnswerRecords));
    }

    private static bool TryFindTtls(byte[] bytes, out int questionEnd, out int payloadSizeOffset, out int[] ttlOffsets)
    {
        questionEnd = 0;
        payloadSizeOffset = -1;
        ttlOffsets = [];
        var span = bytes.AsSpan();
        if (span.Length < WireFormat.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(span[4..]) != 1)
        {
            return false;
        }

        var records = BinaryPrimitives.ReadUInt16BigEndian(span[6..]) + BinaryPrimitives.ReadUInt16BigEndian(span[8..]) + BinaryPrimitives.ReadUInt16BigEndian(span[10..]);
        var offset = WireFormat.HeaderSize;
        if (!WireNames.TrySkip(span, ref offset) || (offset += 4) > span.Length)
        {
            return false;
        }

        questionEnd = offset;
        var offsets = new List<int>(records);
        for (var i = 0; i < records; i++)
        {
            if (!WireNames.TrySkip(span, ref offset) || offset + 10 > span.Length)
            {
                return false;
            }

            // OPT's "TTL" holds the extended RCODE, version and DO: not a TTL to count down.
            if (BinaryPrimitives.ReadUInt16BigEndian(span[offset..]) == WireFormat.TypeOpt)
            {
                payloadSizeOffset = offset + 2;
            }
            else
            {
                offsets.Add(offset + 4);
            }

            offset += 10 + BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 8)..]);
        }

        ttlOffsets = [.. offsets];
        return offset == span.Length;
    }

    private static string[] ChainFrom(DomainName question, List<DnsRecordBase> answers)
    {
        var targets = new List<string>();
        var current = question;
        while (targets.Count < WireFormat.MaxChainLength && answers.OfType<CNameRecord>().FirstOrDefault(c => c.Name.Equals(current)) is { } link)
        {
            current = link.CanonicalName;
            targets.Add(DomainNames.FromWire(current));
        }

        return [.. targets];
    }
}
