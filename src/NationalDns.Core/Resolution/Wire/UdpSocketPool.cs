using System.Net;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Connected UDP sockets kept per upstream, each lent to one query at a time and retired after
/// <see cref="DefaultUsesPerSocket"/> queries or <see cref="DefaultLifetime"/>, whichever comes first, so the source
/// port keeps changing (docs/forwarding.md, "Source ports").
/// </summary>
/// <remarks>
/// <para>
/// One query at a time per socket keeps the reply check exactly that of a fresh socket: a datagram is matched against
/// the one query in flight on it (<see cref="ReplyMatcher"/>), so a late reply to the socket's previous query has
/// that query's ID and question and is counted and ignored like any other mismatch.
/// </para>
/// <para>
/// At most <see cref="DefaultSocketsPerUpstream"/> sockets per upstream are kept; a query that finds them all busy
/// gets a socket of its own, closed after it. Idle sockets past their lifetime are closed by a sweep every lifetime,
/// so a quiet server holds none, and an upstream that moved to another address (an upstream given by host name and
/// looked up again) loses its sockets within two lifetimes. A socket whose query failed or was
/// cancelled is closed rather than kept.
/// </para>
/// </remarks>
internal sealed class UdpSocketPool : IDisposable
{
    /// <summary>Sockets kept per upstream: more than the queries one upstream has in flight at a few thousand a second.</summary>
    public const int DefaultSocketsPerUpstream = 128;

    /// <summary>Queries per socket: the socket's setup and close then cost 1 % of what they cost once per query.</summary>
    public const int DefaultUsesPerSocket = 100;

    /// <summary>How long a socket may be used after it opened, and how long one stays open unused.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _timeProvider;
    private readonly int _socketsPerUpstream;
    private readonly int _usesPerSocket;
    private readonly TimeSpan _lifetime;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPEndPoint, Kept> _upstreams = [];
    private readonly ITimer _sweep;
    private long _opened;
    private bool _disposed;

    public UdpSocketPool(TimeProvider timeProvider, int socketsPerUpstream = DefaultSocketsPerUpstream, int usesPerSocket = DefaultUsesPerSocket, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(socketsPerUpstream);
        ArgumentOutOfRangeException.ThrowIfLessThan(usesPerSocket, 1);
        _timeProvider = timeProvider;
        _socketsPerUpstream = socketsPerUpstream;
        _usesPerSocket = usesPerSocket;
        _lifetime = lifetime ?? DefaultLifetime;
        _sweep = timeProvider.CreateTimer(static pool => ((UdpSocketPool)pool!).Sweep(), this, _lifetime, _lifetime);
    }

    /// <summary>Sockets opened so far, kept ones and one-query ones.</summary>
    public long SocketsOpened => Interlocked.Read(ref _opened);

    /// <summary>Sockets kept open with no query on them.</summary>
    public int IdleSockets
    {
        get
        {
            lock (_lock)
            {
                return _upstreams.Values.Sum(kept => kept.Idle.Count);
            }
        }
    }

    /// <summary>
    /// A socket connected to <paramref name="upstream"/> with no query on it; give it back with <see cref="Return"/>.
    /// With <paramref name="fresh"/>, a newly opened one, never one kept from an earlier query.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">No socket could be opened or connected.</exception>
    public UpstreamSocket Rent(IPEndPoint upstream, bool fresh = false)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var now = _timeProvider.GetTimestamp();
        bool pooled;
        Kept? kept;
        while (true)
        {
            UpstreamSocket? expired = null;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_upstreams.TryGetValue(upstream, out kept))
                {
                    kept = new Kept();
                    _upstreams.Add(upstream, kept);
                }

                if (kept.Idle.Count > 0 && !fresh)
                {
                    var socket = kept.Idle[^1];
                    kept.Idle.RemoveAt(kept.Idle.Count - 1);
                    if (!IsExpired(socket, now))
                    {
                        return socket;
                    }

                    kept.Open--;
                    expired = socket;
                }
                else
                {
                    pooled = kept.Open < _socketsPerUpstream;
                    if (pooled)
                    {
                        kept.Open++;
                    }

                    break;
                }
            }

            expired.Dispose();
        }

        try
        {
            var opened = new UpstreamSocket(upstream, now, pooled);
            Interlocked.Increment(ref _opened);
            return opened;
        }
        catch when (pooled)
        {
            lock (_lock)
            {
                kept.Open--;
            }

            throw;
        }
    }

    /// <summary>
    /// Takes <paramref name="socket"/> back after its query: kept for the next one if <paramref name="reusable"/> (the
    /// query ended with its reply) and it has uses and lifetime left, closed otherwise.
    /// </summary>
    public void Return(UpstreamSocket socket, bool reusable)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.IsPooled)
        {
            // Counted as it comes back, rather than left to each borrower to remember.
            var keep = reusable && socket.CountQuery() < _usesPerSocket && !IsExpired(socket, _timeProvider.GetTimestamp());
            lock (_lock)
            {
                if (!_disposed)
                {
                    var kept = _upstreams[socket.Upstream];
                    if (keep)
                    {
                        kept.Idle.Add(socket);
                        return;
                    }

                    kept.Open--;
                }
            }
        }

        socket.Dispose();
    }

    public void Dispose()
    {
        List<UpstreamSocket> idle;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _upstreams.Values.SelectMany(kept => kept.Idle)];
            _upstreams.Clear();
        }

        _sweep.Dispose();
        idle.ForEach(socket => socket.Dispose());
    }

    private bool IsExpired(UpstreamSocket socket, long now) => _timeProvider.GetElapsedTime(socket.OpenedAt, now) >= _lifetime;

    /// <summary>Closes the idle sockets past their lifetime, and forgets upstreams with no socket left.</summary>
    private void Sweep()
    {
        var now = _timeProvider.GetTimestamp();
        var expired = new List<UpstreamSocket>();
        lock (_lock)
        {
            foreach (var (upstream, kept) in _upstreams)
            {
                kept.Open -= kept.Idle.RemoveAll(socket =>
                {
                    if (!IsExpired(socket, now))
                    {
                        return false;
                    }

                    expired.Add(socket);
                    return true;
                });
                if (kept.Open == 0)
                {
                    _upstreams.Remove(upstream);
                }
            }
        }

        expired.ForEach(socket => socket.Dispose());
    }

    /// <summary>One upstream's sockets: those idle, most recently used last, and how many are open (idle or lent).</summary>
    private sealed class Kept
    {
        public List<UpstreamSocket> Idle { get; } = [];

        public int Open { get; set; }
    }
}
