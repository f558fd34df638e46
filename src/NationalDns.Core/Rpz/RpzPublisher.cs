using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Rpz;

/// <summary>
/// Keeps the published policy zone equal to the rules in force: it builds a new version when the lists are reloaded and at
/// the moment a rule's window opens or closes, and only when the records differ does the serial move on (one more, or the
/// Unix time if that is newer: <see cref="SerialNumber.Next"/>). Each change keeps its diff for IXFR and raises
/// <see cref="Changed"/> (NOTIFY). The first version is built in the constructor, so the zone is served from the start.
/// </summary>
public sealed partial class RpzPublisher : BackgroundService
{
    private readonly RuleSetHolder _rules;
    private readonly RuleClock _clock;
    private readonly TimeProvider _time;
    private readonly IPAddress? _blockPage;
    private readonly ILogger<RpzPublisher> _logger;
    private readonly SemaphoreSlim _reloaded = new(0, 1);
    private volatile RpzVersion _current;
    private DateTimeOffset? _nextChange;

    public RpzPublisher(RpzZoneShape shape, RuleSetHolder rules, RuleClock clock, TimeProvider time, BlockingOptions blocking, ILogger<RpzPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(blocking);
        Shape = shape;
        _rules = rules;
        _clock = clock;
        _time = time;
        _blockPage = blocking.BlockPageAddress;
        _logger = logger;
        var content = RpzMapping.Build(rules.Current, clock.Now, _blockPage);
        _nextChange = content.NextChange;
        _current = new RpzVersion(SerialNumber.FromTime(time.GetUtcNow()), content.Records);
        _rules.Published += OnRulesPublished;
    }

    /// <summary>Raised after a new version is published, on the publisher's own task.</summary>
    public event EventHandler<RpzVersion>? Changed;

    public RpzZoneShape Shape { get; }

    /// <summary>The version transfers serve now.</summary>
    public RpzVersion Current => _current;

    /// <summary>The diffs kept for IXFR.</summary>
    public RpzDiffHistory History { get; } = new();

    public override void Dispose()
    {
        _rules.Published -= OnRulesPublished;
        _reloaded.Dispose();
        base.Dispose();
    }

    /// <summary>Builds the zone from the rules in force now and publishes it if it differs; returns whether it did.</summary>
    public bool Rebuild()
    {
        var before = _current;
        var content = RpzMapping.Build(_rules.Current, _clock.Now, _blockPage);
        _nextChange = content.NextChange;
        var candidate = new RpzVersion(before.Serial.Next(SerialNumber.FromTime(_time.GetUtcNow())), content.Records);
        var diff = RpzDiff.Between(before, candidate);
        if (diff.Size == 0)
        {
            return false;
        }

        History.Add(diff);
        _current = candidate;
        Log.Published(_logger, Shape.Origin.ToString(), candidate.Serial.Value, candidate.Records.Count, diff.Added.Count, diff.Deleted.Count);
        Changed?.Invoke(this, candidate);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Serving(_logger, Shape.Origin.ToString(), _current.Serial.Value, _current.Records.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForChangeAsync(stoppingToken);
                Rebuild();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The feed must outlive one bad build; the last good version keeps being served.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.BuildFailed(_logger, e);
            }
        }
    }

    // A reload, or the next window edge, whichever comes first.
    private async Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        if (_nextChange is not { } next)
        {
            await _reloaded.WaitAsync(cancellationToken);
            return;
        }

        var wait = next - _clock.Now;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        // Long waits are cut into days: timers take at most about 49 days, and the clock is read again after each.
        using var timeout = new CancellationTokenSource(wait < TimeSpan.FromDays(1) ? wait : TimeSpan.FromDays(1), _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _reloaded.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The window edge has come.
        }
    }

    private void OnRulesPublished(object? sender, EventArgs e)
    {
        try
        {
            _reloaded.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rebuild is already due; it reads the newest rules.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "RPZ zone {Zone} serial {Serial}: {Records} records")]
        public static partial void Serving(ILogger logger, string zone, uint serial, int records);

        [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "RPZ zone {Zone} serial {Serial}: {Records} records ({Added} added, {Deleted} deleted)")]
        public static partial void Published(ILogger logger, string zone, uint serial, int records, int added, int deleted);

        [LoggerMessage(EventId = 62, Level = LogLevel.Error, Message = "Could not build the RPZ zone; the last version is still served")]
        public static partial void BuildFailed(ILogger logger, Exception exception);
    }
}
