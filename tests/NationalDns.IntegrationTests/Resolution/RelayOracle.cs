using ARSoft.Tools.Net.Dns;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// What NationalDns's relay of an upstream answer must be, derived from what the upstream itself says to the same
/// query bytes: over the same transport (<c>direct</c>) for the header, and over TCP (<c>full</c>, never truncated) for
/// the records. Everything must be equal except the differences the RFCs ask of a recursive service, each asserted
/// exactly here with its reason; see docs/forwarding.md.
/// </summary>
internal static class RelayOracle
{
    private const int ExtendedDnsErrorOption = 15;
    private const uint PositiveMaxTtl = 86400;
    private const uint NegativeMaxTtl = 3600;

    /// <summary>Adds one line per difference to <paramref name="differences"/>: "what: expected …, got …".</summary>
    /// <param name="cacheLifetime">For an answer served from NationalDns's cache, the entry's lifetime in seconds; null for one fetched for this query.</param>
    public static void Compare(DifferentialCase query, WireReply via, WireReply direct, WireReply full, int? cacheLifetime, ICollection<string> differences)
    {
        void Expect(string what, object? expected, object? actual)
        {
            if (!Equals(expected, actual))
            {
                differences.Add($"{what}: expected {expected}, got {actual}");
            }
        }

        var variant = query.Variant;
        Expect("ID", query.Id, via.Id);
        Expect("QR", true, via.IsResponse);
        Expect("opcode", 0, via.Opcode);
        Expect("question", Convert.ToHexString(WireReply.Read(query.Query()).Question), Convert.ToHexString(via.Question));
        Expect("question as the upstream echoes it", Convert.ToHexString(direct.Question), Convert.ToHexString(via.Question));
        Expect("AA", direct.Authoritative, via.Authoritative);
        Expect("AD", direct.AuthenticData, via.AuthenticData);

        // RFC 4035 §3.2.2: a recursive server copies CD from the query into the response. NSD, authoritative only,
        // answers CD=0 to a CD=1 query; NationalDns echoes the client's bit.
        Expect("CD", variant.CheckingDisabled, via.CheckingDisabled);
        Expect("RD", direct.RecursionDesired, via.RecursionDesired);
        Expect("Z", false, via.Z);

        // RFC 1035 §4.1.1: RA says whether the responding server offers recursion. NationalDns is a recursive service
        // (it forwards), so RA=1 whatever the upstream said; NSD, authoritative only, says RA=0.
        Expect("RA", true, via.RecursionAvailable);

        // RFC 6891 §6.1.3: an extended RCODE cannot be told to a client without EDNS; it gets SERVFAIL instead.
        var rcode = full.ReturnCode > 15 && variant.Edns is null ? 2 : full.ReturnCode;
        Expect("RCODE", rcode, via.ReturnCode);
        CompareOpt(variant, via, direct, Expect);

        var (answers, authorities, additionals, truncated) = Fit(query, full);
        Expect("TC", truncated, via.Truncated);
        CompareSection("answer", Expected(answers, cacheLifetime), via.Answers, via.QuestionName, differences);
        CompareSection("authority", Expected(authorities, cacheLifetime), via.Authorities, via.QuestionName, differences);
        CompareSection("additional", Expected(additionals, cacheLifetime), via.Additionals, via.QuestionName, differences);
        if (!variant.Tcp && via.Bytes.Length > variant.UdpLimit)
        {
            differences.Add($"UDP size: {via.Bytes.Length} octets, over the client's limit of {variant.UdpLimit}");
        }
    }

    /// <summary>
    /// The cache's lifetime for an upstream answer (CacheTtlPolicy's rule, default bounds): positive answers live their
    /// smallest answer TTL, at most a day; negative ones (NXDOMAIN, no answer records, or a SOA after a CNAME chain)
    /// min(SOA TTL, SOA MINIMUM, chain TTLs) (RFC 2308 §5), at most an hour (§5 suggests 1 to 3 hours); 0, i.e. not
    /// kept, for other RCODEs and for negative answers without a SOA (a referral).
    /// </summary>
    public static int LifetimeOf(WireReply full)
    {
        if (full.ReturnCode is not (0 or 3))
        {
            return 0;
        }

        var soa = full.Authorities.FirstOrDefault(r => r.Type == 6);
        if (full.ReturnCode == 0 && full.Answers.Count > 0 && soa is null)
        {
            return (int)Math.Min(full.Answers.Min(r => r.Ttl), PositiveMaxTtl);
        }

        if (soa is null)
        {
            return 0;
        }

        var minimum = Convert.FromHexString(soa.Data.Split(' ')[^1]).AsSpan(16);
        var lifetime = Math.Min(soa.Ttl, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(minimum));
        return (int)Math.Min(full.Answers.Select(r => r.Ttl).Append(lifetime).Min(), NegativeMaxTtl);
    }

    // RFC 6891 §6.1.1: OPT is hop by hop. NationalDns answers with its own: present exactly when the client sent one,
    // version 0, DO mirrored (RFC 3225 §3), payload size min(client's, 1232) (never below 512, RFC 6891 §6.2.5), and of the
    // upstream's options only Extended DNS Errors, which are about the answer (RFC 8914 §3).
    private static void CompareOpt(QueryVariant variant, WireReply via, WireReply direct, Action<string, object?, object?> expect)
    {
        expect("OPT present", variant.Edns is not null, via.Opt is not null);
        expect("upstream OPT present", variant.Edns is not null, direct.Opt is not null);
        if (via.Opt is null || direct.Opt is null)
        {
            return;
        }

        expect("OPT payload size", (ushort)variant.UdpLimit, via.Opt.PayloadSize);
        expect("OPT version", (byte)0, via.Opt.Version);
        expect("DO", direct.Opt.DnssecOk, via.Opt.DnssecOk);
        expect("DO mirrored", variant.DnssecOk, via.Opt.DnssecOk);
        expect(
            "OPT options",
            string.Join(",", direct.Opt.Options.Where(o => o.Code == ExtendedDnsErrorOption)),
            string.Join(",", via.Opt.Options));
    }

    // RFC 1035 §4.2.1, RFC 2181 §9: an answer larger than the client takes over UDP first loses its additional records
    // (no TC needed), then goes out with TC=1 and no records (a partial RRset is never used, RFC 2181 §9); over TCP
    // (RFC 7766) it goes whole. Sizes are ARSoft's encoding of the whole answer, the server's own encoder.
    private static (IReadOnlyList<WireRecord>, IReadOnlyList<WireRecord>, IReadOnlyList<WireRecord>, bool) Fit(DifferentialCase query, WireReply full)
    {
        if (query.Variant.Tcp)
        {
            return (full.Answers, full.Authorities, full.Additionals, false);
        }

        var message = DnsMessage.Parse(full.Bytes);
        if (message.IsEDnsEnabled)
        {
            message.EDnsOptions!.Options.Clear();
        }

        if (RecordWire.SizeOf(message) <= query.Variant.UdpLimit)
        {
            return (full.Answers, full.Authorities, full.Additionals, false);
        }

        message.AdditionalRecords.RemoveAll(r => r is not OptRecord);
        return RecordWire.SizeOf(message) <= query.Variant.UdpLimit
            ? (full.Answers, full.Authorities, [], false)
            : ([], [], [], true);
    }

    // A cached answer's records are served with their TTL capped at the entry's lifetime (CacheEntry: no record
    // outlives the entry, RFC 2308 §5 for negative answers), counted down by its age (0 here: the cache's clock stands still).
    private static List<WireRecord> Expected(IReadOnlyList<WireRecord> records, int? cacheLifetime) =>
        [.. records.Select(r => cacheLifetime is { } lifetime ? r with { Ttl = Math.Min(r.Ttl, (uint)lifetime) } : r)];

    private static void CompareSection(string section, IReadOnlyList<WireRecord> expected, IReadOnlyList<WireRecord> actual, string questionName, ICollection<string> differences)
    {
        var want = expected.Select(r => Text(r, questionName)).ToList();
        var got = actual.Select(r => Text(r, questionName)).ToList();
        if (want.SequenceEqual(got))
        {
            return;
        }

        var missing = want.Except(got).Select(Short).ToList();
        var extra = got.Except(want).Select(Short).ToList();
        differences.Add(missing.Count == 0 && extra.Count == 0
            ? $"{section}: same records in another order: expected [{string.Join(" | ", want.Select(Short))}], got [{string.Join(" | ", got.Select(Short))}]"
            : $"{section}: expected also [{string.Join(" | ", missing)}], got instead [{string.Join(" | ", extra)}]");
    }

    // Owner names compare without letter case (RFC 4343), except the question name, which the client must see as it wrote it.
    private static string Text(WireRecord record, string questionName)
    {
        var owner = string.Equals(record.Owner, questionName, StringComparison.OrdinalIgnoreCase) ? record.Owner : record.Owner.ToLowerInvariant();
        return $"{owner} {record.Type} {record.Class} {record.Ttl} {record.Data}";
    }

    private static string Short(string text) => text.Length <= 140 ? text : text[..137] + "...";
}
