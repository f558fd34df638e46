using System.Net;
using Microsoft.Extensions.Logging;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Looks the pool's upstreams given by host name up again as their TTL runs out, and moves them to the addresses found.
/// </summary>
/// <remarks>
/// <para>
/// A name stands for as many upstreams as it had addresses at start; that number stays. On a new look-up, an upstream
/// whose address is still among those found keeps it; the others take the new addresses in order of preference, and
/// when fewer addresses are found than there are upstreams, the rest share them. Moving an upstream keeps its health and
/// response times, and an attempt already out finishes with the address it began with, so no query is dropped.
/// </para>
/// <para>
/// A failed look-up (no answer, NXDOMAIN, no address, or only addresses that would send queries back to this server)
/// keeps the old addresses, logs a warning and is tried again after <see cref="UpstreamNameLookup.MinimumTtl"/>.
/// Each name is due at an absolute time on the <see cref="TimeProvider"/>, so a clock that jumps ahead makes it due at once.
/// </para>
/// </remarks>
internal sealed class UpstreamNameRefresher : IAsyncDisposable, IDisposable
{
    private readonly UpstreamNameRefresh _refresh;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loops;

    public UpstreamNameRefresher(IReadOnlyList<UpstreamServer> servers, UpstreamNameRefresh refresh, TimeProvider timeProvider, ILogger logger)
    {
        _refresh = refresh;
        _timeProvider = timeProvider;
        _logger = logger;
        var named = servers
            .Where(server => server.Target.HostName is not null)
            .GroupBy(server => (Name: server.Target.HostName!, server.Target.Protocol, server.EndPoint.Port))
            .Select(group => new NamedUpstreams(group.Key.Name, [.. group]))
            .ToList();

        // Each loop runs up to its first wait here, so its first deadline is set against the clock as it is now.
        var now = timeProvider.GetUtcNow();
        _loops = Task.WhenAll(named.Select(name => RunAsync(name, now + FirstWait(name.Name), _stopping.Token)));
    }

    /// <summary>
    /// The addresses each upstream of a name takes after a look-up found <paramref name="found"/> (in order of preference, not empty).
    /// </summary>
    internal static IPAddress[] Assign(IReadOnlyList<IPAddress> current, IReadOnlyList<IPAddress> found)
    {
        var unused = found.Distinct().ToList();
        var next = new IPAddress?[current.Count];
        for (var i = 0; i < current.Count; i++)
        {
            if (unused.Remove(current[i]))
            {
                next[i] = current[i];
            }
        }

        var shared = 0;
        for (var i = 0; i < next.Length; i++)
        {
            if (next[i] is not null)
            {
                continue;
            }

            if (unused.Count > 0)
            {
                next[i] = unused[0];
                unused.RemoveAt(0);
            }
            else
            {
                next[i] = found[shared++ % found.Count];
            }
        }

        return next!;
    }

    /// <summary>Stops looking names up, without waiting.</summary>
    public void Dispose() => _stopping.Cancel();

    /// <summary>Stops looking names up and waits for a look-up in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loops;
    }

    private TimeSpan FirstWait(string name) =>
        _refresh.FirstLookups.TryGetValue(name, out var ttl) ? ttl : UpstreamNameLookup.MinimumTtl;

    private async Task RunAsync(NamedUpstreams name, DateTimeOffset due, CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var wait = due - _timeProvider.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _timeProvider, stoppingToken);
                due = _timeProvider.GetUtcNow() + await RefreshAsync(name, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Looks <paramref name="name"/> up once and moves its upstreams; returns how long until the next look-up.</summary>
    private async Task<TimeSpan> RefreshAsync(NamedUpstreams name, CancellationToken stoppingToken)
    {
        HostLookupResult result;
        try
        {
            result = await _refresh.Lookup(name.Name, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Whatever it is, the upstreams keep working at their old addresses and the name is tried again.
            result = HostLookupResult.Failed(ex.Message);
        }

        var template = name.Upstreams[0].Target;
        var usable = result.Addresses.Where(address => !_refresh.WouldLoop(new IPEndPoint(address, template.EndPoint.Port))).ToList();
        var current = name.Upstreams.Select(server => server.EndPoint.Address).ToList();
        if (usable.Count == 0)
        {
            var why = result.Failure ?? "every address found is this server's own listen address";
            UpstreamLog.NameLookupFailed(_logger, name.Name, why, Format(current), UpstreamNameLookup.MinimumTtl.TotalSeconds);
            return UpstreamNameLookup.MinimumTtl;
        }

        var next = Assign(current, usable);
        var moved = false;
        for (var i = 0; i < next.Length; i++)
        {
            moved |= name.Upstreams[i].MoveTo(template with { EndPoint = new IPEndPoint(next[i], template.EndPoint.Port) });
        }

        if (moved)
        {
            UpstreamLog.NameMoved(_logger, name.Name, Format(next), Format(current), result.Ttl.TotalSeconds);
        }
        else
        {
            UpstreamLog.NameUnchanged(_logger, name.Name, Format(current), result.Ttl.TotalSeconds);
        }

        return result.Ttl;
    }

    private static string Format(IEnumerable<IPAddress> addresses) => string.Join(", ", addresses);

    /// <summary>The upstreams one host name stands for, with one protocol and port.</summary>
    private sealed record NamedUpstreams(string Name, IReadOnlyList<UpstreamServer> Upstreams);
}

/// <summary>What the pool needs to look its upstreams given by host name up again while it serves.</summary>
/// <param name="Lookup">Asks the bootstrap or system resolvers, never the pool.</param>
/// <param name="FirstLookups">By host name: the TTL of its look-up at start, after which it is looked up again.</param>
/// <param name="WouldLoop">Whether an upstream at this endpoint would send queries back to this server; such an address is never taken.</param>
internal sealed record UpstreamNameRefresh(HostLookup Lookup, IReadOnlyDictionary<string, TimeSpan> FirstLookups, Func<IPEndPoint, bool> WouldLoop);
