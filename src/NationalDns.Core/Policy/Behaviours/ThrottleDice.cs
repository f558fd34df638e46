using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>What a throttle rule decided for one query: answer after <see cref="Delay"/>, or drop it.</summary>
/// <param name="Delay">The delay applied before forwarding (zero when dropped).</param>
/// <param name="Dropped">True when the query gets no answer at all.</param>
/// <param name="Sequence">Which query of this rule it was, counting from 0 since the server started.</param>
public readonly record struct ThrottleDecision(TimeSpan Delay, bool Dropped, long Sequence);

/// <summary>
/// The seeded randomness of <c>throttle</c>. The decision for a query is a pure function of three things: the seed
/// (<c>--seed</c>), the rule's pattern (e.g. <c>telegram.org</c>), and how many queries that pattern has decided before
/// (a counter per pattern, from 0 at startup, kept across list reloads). The same seed and the same sequence of queries
/// per rule therefore give the same drops and the same delays on every run and machine. Concurrent queries for one rule
/// take their sequence numbers in arrival order, so only their interleaving can differ between runs.
/// </summary>
public sealed class ThrottleDice
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private const ulong SecondStream = 0xD1B54A32D192ED03;

    private readonly ConcurrentDictionary<string, StrongBox<long>> _counters = new(StringComparer.Ordinal);

    public ThrottleDice(long seed)
    {
        Seed = seed;
    }

    /// <summary>The seed every decision derives from.</summary>
    public long Seed { get; }

    /// <summary>Decides the next query for <paramref name="rule"/> and advances its counter.</summary>
    public ThrottleDecision Roll(BlockRule rule, ThrottleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var counter = _counters.GetOrAdd(rule.Pattern, static _ => new StrongBox<long>(-1));
        var sequence = Interlocked.Increment(ref counter.Value);
        return Decide(Seed, rule.Pattern, sequence, settings);
    }

    /// <summary>The decision for the <paramref name="sequence"/>-th query of <paramref name="pattern"/> under <paramref name="seed"/>.</summary>
    public static ThrottleDecision Decide(long seed, string pattern, long sequence, ThrottleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var stream = NameHash.Mix(unchecked((ulong)seed) ^ NameHash.Of(pattern));
        var lossRoll = NameHash.Mix(stream + (unchecked((ulong)sequence) * Golden));
        var jitterRoll = NameHash.Mix(lossRoll ^ SecondStream);
        if (Unit(lossRoll) * 100 < settings.LossPercent)
        {
            return new ThrottleDecision(TimeSpan.Zero, Dropped: true, sequence);
        }

        // Uniform in [-jitter, +jitter], to the tick.
        var offset = (long)Math.Round(((Unit(jitterRoll) * 2) - 1) * settings.Jitter.Ticks);
        var delay = settings.Delay + TimeSpan.FromTicks(offset);
        return new ThrottleDecision(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Dropped: false, sequence);
    }

    // The top 53 bits as a double in [0, 1).
    private static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));
}
