using ARSoft.Tools.Net.Dns;
using DnsClient;
using Dc = DnsClient.Protocol;
using DnsQueryOptions = DnsClient.DnsQueryOptions;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.Resolution;

/// <summary>
/// Forwards a question to the configured upstream resolvers with one DnsClient <see cref="LookupClient"/> and
/// translates the answer into ARSoft records.
/// </summary>
/// <remarks>
/// <para>
/// DnsClient's cache is off (caching is a pipeline stage of its own). Servers are asked in configured order, each
/// with one retry; the next server is asked only when one does not answer, so an error RCODE such as NXDOMAIN or
/// REFUSED comes back exactly as the first answering upstream gave it. A truncated UDP answer is fetched again
/// over TCP. The whole question, retries and TCP included, is bounded by <see cref="UpstreamOptions.Timeout"/>.
/// </para>
/// <para>
/// The client's RD and DO bits are passed on. DnsClient 1.8.0 cannot set the CD (checking disabled) bit on its
/// queries, so a client's CD bit does not reach the upstream. The upstream's OPT record is dropped, and with it
/// any extended RCODE: those bits describe the EDNS conversation with the upstream, not the client's.
/// </para>
/// </remarks>
public sealed class DnsClientUpstreamResolver : IUpstreamResolver
{
    private const int RetriesPerServer = 1;
    private const int EdnsBufferSize = 4096;

    // Per-query options are built once for every RD/DO combination; DnsClient copies them into each query's settings.
    private static readonly UpstreamRequestFlags[] AllFlags =
        [new(false, false), new(false, true), new(true, false), new(true, true)];

    private readonly UpstreamQuery _query;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<UpstreamRequestFlags, DnsQueryOptions> _queryOptions;

    /// <summary>Creates the resolver and its single <see cref="LookupClient"/>.</summary>
    public DnsClientUpstreamResolver(UpstreamOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Creates the resolver and its single <see cref="LookupClient"/>; the deadline is measured with <paramref name="timeProvider"/>.</summary>
    public DnsClientUpstreamResolver(UpstreamOptions options, TimeProvider timeProvider)
        : this(options, CreateLookup(options), timeProvider)
    {
    }

    internal DnsClientUpstreamResolver(UpstreamOptions options, UpstreamQuery query, TimeProvider timeProvider)
    {
        Validate(options);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(timeProvider);

        _query = query;
        _timeout = options.Timeout;
        _timeProvider = timeProvider;
        var attemptTimeout = AttemptTimeout(options);
        _queryOptions = AllFlags.ToDictionary(flags => flags, flags => Configure(new DnsQueryOptions(), attemptTimeout, flags));
    }

    /// <inheritdoc />
    public async Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        cancellationToken.ThrowIfCancellationRequested();
        var upstreamQuestion = ToUpstreamQuestion(question);

        using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Task<IDnsQueryResponse>? query = null;
        IDnsQueryResponse response;
        try
        {
            query = _query(upstreamQuestion, _queryOptions[flags], linked.Token);

            // WaitAsync bounds the wait even if DnsClient itself were to overrun its own timeouts.
            response = await query.WaitAsync(linked.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ObserveAbandoned(query);
            cancellationToken.ThrowIfCancellationRequested();
            throw deadline.IsCancellationRequested
                ? new UpstreamException($"No upstream answered {question.Name} {question.RecordType} within {_timeout.TotalMilliseconds} ms.", ex)
                : new UpstreamException($"The upstream query for {question.Name} {question.RecordType} failed: {ex.Message}", ex);
        }

        return ToAnswer(question, response);
    }

    private static void Validate(UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("At least one upstream server is required.", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The upstream timeout must be positive.", nameof(options));
        }
    }

    private static UpstreamQuery CreateLookup(UpstreamOptions options)
    {
        Validate(options);
        var servers = options.Servers.Select(endpoint => new NameServer(endpoint)).ToArray();
        var lookupOptions = Configure(new LookupClientOptions(servers), AttemptTimeout(options), new UpstreamRequestFlags(true, false));
        var lookup = new LookupClient(lookupOptions);
        return (question, queryOptions, cancellationToken) => lookup.QueryServerAsync(servers, question, queryOptions, cancellationToken);
    }

    /// <summary>Splits the overall budget across every attempt DnsClient may make, so its own timeouts end within it.</summary>
    private static TimeSpan AttemptTimeout(UpstreamOptions options)
    {
        var attempts = options.Servers.Count * (RetriesPerServer + 1);
        return TimeSpan.FromTicks(Math.Max(options.Timeout.Ticks / attempts, TimeSpan.TicksPerMillisecond));
    }

    private static T Configure<T>(T options, TimeSpan attemptTimeout, UpstreamRequestFlags flags)
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
        options.Retries = RetriesPerServer;
        options.Timeout = attemptTimeout;
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

    /// <summary>A query given up on may still fail later; observe that so it never surfaces as an unobserved task exception.</summary>
    private static void ObserveAbandoned(Task<IDnsQueryResponse>? query)
    {
        if (query is { IsCompleted: false })
        {
            _ = query.ContinueWith(
                static task => _ = task.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }
}

/// <summary>Sends one question upstream: the seam between the resolver and DnsClient's <see cref="LookupClient"/>.</summary>
internal delegate Task<IDnsQueryResponse> UpstreamQuery(DnsClient.DnsQuestion question, DnsQueryOptions options, CancellationToken cancellationToken);
