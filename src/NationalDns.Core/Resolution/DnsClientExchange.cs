using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using Dc = DnsClient.Protocol;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Asks one upstream one question with DnsClient and translates the answer into ARSoft records: the
/// <see cref="UpstreamExchange"/> behind <see cref="UpstreamResolver"/>.
/// </summary>
/// <remarks>
/// <para>
/// DnsClient only carries the question: its cache is off (caching is a pipeline stage of its own), it makes no
/// retries and never moves on to another server (the pool does both, with health in mind), and any RCODE comes back
/// as an answer. DnsClient's own timeout is the whole budget and a margin; the pool's token ends each attempt.
/// </para>
/// <para>
/// The EDNS buffer is 1232 octets (DNS Flag Day 2020), not DnsClient's 4096: a larger UDP answer is IP-fragmented on
/// real paths, and a lost fragment would look to the pool like a dead upstream. A truncated answer is fetched again
/// over TCP instead, which costs one round trip for the rare answer over 1232 octets (on loopback, a 1.4 KB TXT
/// answer took about 0.3 ms either way). Our own UDP clients get at most 1232 octets anyway.
/// </para>
/// <para>
/// Each upstream has one <see cref="LookupClient"/> per combination of the RD and DO bits, configured once, so a query
/// passes no per-query options. Against nsd on loopback (16 queries in flight) that cost about 58 µs of CPU per
/// query, against about 63 µs for one shared client that names the server and passes options with every query; the
/// shared client was slower in each of six paired runs. Several clients lose nothing: DnsClient keeps no state per
/// server but the TCP connections of the fallback, which each client pools for itself.
/// </para>
/// <para>
/// The client's RD and DO bits are passed on. DnsClient 1.8.0 cannot set the CD (checking disabled) bit on its
/// queries, so a client's CD bit does not reach the upstream. The upstream's OPT record is dropped, and with it
/// any extended RCODE: those bits describe the EDNS conversation with the upstream, not the client's.
/// </para>
/// </remarks>
internal sealed class DnsClientExchange
{
    internal const int EdnsBufferSize = 1232;

    private static readonly TimeSpan BackstopMargin = TimeSpan.FromSeconds(1);

    private static readonly UpstreamRequestFlags[] AllFlags =
        [new(false, false), new(false, true), new(true, false), new(true, true)];

    // Filled at construction; an upstream given by name that moves to a new address gets its clients on first use there.
    private readonly ConcurrentDictionary<(IPEndPoint Server, UpstreamRequestFlags Flags), DnsClientLookup> _lookups = [];
    private readonly Func<(IPEndPoint Server, UpstreamRequestFlags Flags), DnsClientLookup> _newLookup;

    /// <summary>Creates the exchange and its <see cref="LookupClient"/>s.</summary>
    public DnsClientExchange(UpstreamOptions options)
        : this(options, static lookupOptions => new LookupClient(lookupOptions).QueryAsync)
    {
    }

    /// <summary>Creates the exchange with <paramref name="createLookup"/> standing in for <see cref="LookupClient"/>.</summary>
    internal DnsClientExchange(UpstreamOptions options, Func<LookupClientOptions, DnsClientLookup> createLookup)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createLookup);

        _newLookup = key => createLookup(Configure(new LookupClientOptions(new NameServer(key.Server)), options.Timeout, key.Flags));
        foreach (var server in options.Servers.Select(target => target.EndPoint).Distinct())
        {
            foreach (var flags in AllFlags)
            {
                _lookups[(server, flags)] = _newLookup((server, flags));
            }
        }
    }

    /// <summary>Asks <paramref name="server"/>, one of the configured upstreams. Matches <see cref="UpstreamExchange"/>.</summary>
    /// <exception cref="UpstreamException">The name cannot be sent with DnsClient, or the answer cannot be translated.</exception>
    public async Task<UpstreamAnswer> AskAsync(UpstreamTarget server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var upstreamQuestion = ToUpstreamQuestion(question);
        var response = await _lookups.GetOrAdd((server.EndPoint, flags with { CheckingDisabled = false }), _newLookup)(upstreamQuestion, cancellationToken);
        return ToAnswer(server, question, response);
    }

    private static LookupClientOptions Configure(LookupClientOptions options, TimeSpan timeout, UpstreamRequestFlags flags)
    {
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        options.UseTcpFallback = true;
        options.UseTcpOnly = false;
        options.UseRandomNameServer = false;
        options.ExtendedDnsBufferSize = EdnsBufferSize;
        options.Retries = 0;
        // A backstop only: the pool's token ends every attempt, and may give one the whole budget. Were DnsClient's own
        // timer the same length, it could fire first and turn a timeout into a network error.
        options.Timeout = timeout + BackstopMargin;
        options.EnableAuditTrail = false;
        options.Recursion = flags.RecursionDesired;
        options.RequestDnsSecRecords = flags.DnssecOk;
        return options;
    }

    private static DnsClient.DnsQuestion ToUpstreamQuestion(DnsQuestion question)
    {
        // DnsClient takes names as dotted text without escapes, so a label holding a dot cannot be sent as it is.
        var labels = question.Name.Labels;
        if (labels.Any(label => label.Contains('.', StringComparison.Ordinal)))
        {
            throw new UpstreamException($"The name {question.Name} has a label with a dot in it, which cannot be forwarded.");
        }

        var name = labels.Length == 0 ? "." : string.Join('.', labels) + ".";
        try
        {
            return new DnsClient.DnsQuestion(name, (QueryType)(ushort)question.RecordType, (QueryClass)(ushort)question.RecordClass);
        }
        catch (ArgumentException ex)
        {
            throw new UpstreamException($"DnsClient cannot send the name {question.Name}: {ex.Message}", ex);
        }
    }

    private static UpstreamAnswer ToAnswer(UpstreamTarget server, DnsQuestion question, IDnsQueryResponse response)
    {
        try
        {
            var header = response.Header;
            return new UpstreamAnswer(
                (ReturnCode)(ushort)header.ResponseCode,
                header.HasAuthorityAnswer,
                header.IsAuthenticData,
                header.RecursionAvailable,
                ToArsoft(response.Answers),
                ToArsoft(response.Authorities),
                ToArsoft(response.Additionals)) { Upstream = server.Name };
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException)
        {
            throw new UpstreamException($"The upstream answer for {question.Name} {question.RecordType} cannot be translated: {ex.Message}", ex);
        }
    }

    private static List<DnsRecordBase> ToArsoft(IReadOnlyList<Dc.DnsResourceRecord> records) =>
        [.. records.Select(DnsRecordMapper.ToArsoft).OfType<DnsRecordBase>()];
}

/// <summary>
/// Sends one question with one configured <see cref="LookupClient"/> (its <c>QueryAsync</c>): the seam between the
/// exchange and DnsClient.
/// </summary>
internal delegate Task<IDnsQueryResponse> DnsClientLookup(DnsClient.DnsQuestion question, CancellationToken cancellationToken);
