using System.Net;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using Dc = DnsClient.Protocol;
using DnsQueryOptions = DnsClient.DnsQueryOptions;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.Resolution;

/// <summary>
/// Asks one upstream one question with DnsClient and translates the answer into ARSoft records: the
/// <see cref="UpstreamExchange"/> behind <see cref="DnsClientUpstreamResolver"/>.
/// </summary>
/// <remarks>
/// <para>
/// DnsClient only carries the question: its cache is off (caching is a pipeline stage of its own), it makes no
/// retries and never moves on to another server (the pool does both, with health in mind), and any RCODE comes back
/// as an answer. A truncated UDP answer is fetched again over TCP. The EDNS buffer is 1232 octets (DNS Flag Day
/// 2020): larger UDP answers would be IP-fragmented on real paths, and a lost fragment would look like a dead
/// upstream to the pool; the rare larger answer costs one TCP round trip instead. DnsClient's own timeout is the whole
/// budget; the pool's token ends each attempt earlier.
/// </para>
/// <para>
/// One <see cref="LookupClient"/> serves every upstream, each query naming its server: the client keeps nothing per
/// server but its TCP connections, which it already pools by endpoint, so one client per upstream would buy nothing.
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

    // Per-query options are built once for every RD/DO combination; DnsClient copies them into each query's settings.
    private static readonly UpstreamRequestFlags[] AllFlags =
        [new(false, false), new(false, true), new(true, false), new(true, true)];

    private readonly DnsClientQuery _query;
    private readonly Dictionary<IPEndPoint, NameServer[]> _servers;
    private readonly Dictionary<UpstreamRequestFlags, DnsQueryOptions> _queryOptions;

    /// <summary>Creates the exchange and its <see cref="LookupClient"/>.</summary>
    public DnsClientExchange(UpstreamOptions options)
        : this(options, CreateLookup(options))
    {
    }

    internal DnsClientExchange(UpstreamOptions options, DnsClientQuery query)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(query);

        _query = query;
        _servers = options.Servers.Distinct().ToDictionary(endPoint => endPoint, endPoint => new[] { new NameServer(endPoint) });
        _queryOptions = AllFlags.ToDictionary(flags => flags, flags => Configure(new DnsQueryOptions(), options.Timeout, flags));
    }

    /// <summary>Asks <paramref name="server"/>, one of the configured upstreams. Matches <see cref="UpstreamExchange"/>.</summary>
    /// <exception cref="UpstreamException">The name cannot be sent with DnsClient, or the answer cannot be translated.</exception>
    public async Task<UpstreamAnswer> AskAsync(IPEndPoint server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        var upstreamQuestion = ToUpstreamQuestion(question);
        var response = await _query(_servers[server], upstreamQuestion, _queryOptions[flags], cancellationToken);
        return ToAnswer(question, response);
    }

    private static DnsClientQuery CreateLookup(UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = options.Servers.Select(endPoint => new NameServer(endPoint)).ToArray();
        var lookup = new LookupClient(Configure(new LookupClientOptions(servers), options.Timeout, new UpstreamRequestFlags(true, false)));
        return lookup.QueryServerAsync;
    }

    private static T Configure<T>(T options, TimeSpan timeout, UpstreamRequestFlags flags)
        where T : DnsQueryOptions
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
        options.Timeout = timeout;
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

    private static UpstreamAnswer ToAnswer(DnsQuestion question, IDnsQueryResponse response)
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
                ToArsoft(response.Additionals));
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException)
        {
            throw new UpstreamException($"The upstream answer for {question.Name} {question.RecordType} cannot be translated: {ex.Message}", ex);
        }
    }

    private static List<DnsRecordBase> ToArsoft(IReadOnlyList<Dc.DnsResourceRecord> records) =>
        [.. records.Select(DnsRecordMapper.ToArsoft).OfType<DnsRecordBase>()];
}

/// <summary>Sends one question to the given servers: the seam between the exchange and DnsClient's <see cref="LookupClient"/>.</summary>
internal delegate Task<IDnsQueryResponse> DnsClientQuery(
    IReadOnlyCollection<NameServer> servers, DnsClient.DnsQuestion question, DnsQueryOptions options, CancellationToken cancellationToken);
