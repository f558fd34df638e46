using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Core.Resolution.Streams;
using NationalDns.Core.Resolution.Wire;
using DnsQuestion = ARSoft.Tools.Net.Dns.DnsQuestion;

namespace NationalDns.Core.Resolution;

/// <summary>
/// The upstream resolver: a pool of the configured upstreams, each asked with the engine <see cref="UpstreamOptions.Forwarder"/>
/// names (our own <see cref="WireExchange"/>, or DnsClient's <see cref="DnsClientExchange"/>). The fastest healthy upstream
/// is asked first; on a timeout, a network error or SERVFAIL the next one is, within <see cref="UpstreamOptions.Timeout"/>
/// for the whole question. An upstream that fails <see cref="UpstreamOptions.FailuresBeforeUnhealthy"/> times in a
/// row is set aside and probed in the background until it answers again.
/// </summary>
/// <remarks>
/// Logs when an upstream turns unhealthy and when it recovers, never per query. Dispose it to stop the background
/// probes (the DI container does this for a singleton).
/// </remarks>
public sealed class UpstreamResolver : IUpstreamResolver, IAsyncDisposable, IDisposable
{
    private readonly UpstreamPool _pool;

    // The kept TCP and TLS connections of the wire engine; null with DnsClient, which keeps its own.
    private readonly DnsStreamPool? _streams;
    private readonly WireExchange? _wire;

    /// <summary>Creates the resolver on the system clock, without logging.</summary>
    public UpstreamResolver(UpstreamOptions options)
        : this(options, TimeProvider.System, NullLogger<UpstreamResolver>.Instance)
    {
    }

    /// <summary>Creates the resolver; deadlines, response times and probe intervals are measured with <paramref name="timeProvider"/>.</summary>
    public UpstreamResolver(UpstreamOptions options, TimeProvider timeProvider, ILogger<UpstreamResolver> logger)
        : this(options, timeProvider, logger, meters: null)
    {
    }

    /// <summary>As above, and each attempt's response time and failure are measured on <paramref name="meters"/>.</summary>
    public UpstreamResolver(UpstreamOptions options, TimeProvider timeProvider, ILogger<UpstreamResolver> logger, UpstreamMeters? meters)
    {
        UpstreamPool.Validate(options);
        UpstreamExchange exchange;
        if (options.Forwarder == ForwarderEngine.DnsClient)
        {
            exchange = new DnsClientExchange(options).AskAsync;
        }
        else
        {
            _streams = new DnsStreamPool(new DnsStreamConnector(options.TlsTrustAnchors).ConnectAsync, timeProvider);
            _wire = new WireExchange(options.RandomiseCase, _streams, new UdpSocketPool(timeProvider), logger, meters);
            exchange = _wire.AskAsync;
        }

        _pool = new UpstreamPool(options, exchange, timeProvider, logger, meters);
    }

    /// <summary>The state of every upstream, in configuration order: for metrics and the health log.</summary>
    public IReadOnlyList<UpstreamStats> Upstreams => _pool.Stats;

    /// <summary>
    /// Resolves <paramref name="question"/> upstream. NOERROR, NXDOMAIN, REFUSED and every other RCODE but SERVFAIL are
    /// answers and come back as they are, from the first upstream that gives one. When every attempt fails, the last
    /// SERVFAIL answer received is returned if there was one; otherwise <see cref="UpstreamException"/> is thrown.
    /// The caller's cancellation surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken) =>
        _pool.ResolveAsync(question, flags, cancellationToken);

    /// <summary>Stops the background probes and closes the kept upstream connections.</summary>
    public void Dispose()
    {
        _pool.Dispose();
        _streams?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _wire?.Dispose();
    }

    /// <summary>Stops the background probes, waits for a probe in flight, and closes the kept upstream connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        if (_streams is not null)
        {
            await _streams.DisposeAsync();
        }

        _wire?.Dispose();
    }
}
