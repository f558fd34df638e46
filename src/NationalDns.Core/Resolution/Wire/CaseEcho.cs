using System.Collections.Concurrent;
using System.Net;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Whether 0x20 is used with each upstream. On by default (when configured); an upstream that answers
/// <see cref="MismatchesBeforeOff"/> questions in a row with the right question in the wrong letter case does not echo
/// the case as it was sent, and gets plain names from then on (Unbound's caps-for-id fallback does the same per server).
/// </summary>
/// <remarks>
/// A case mismatch alone never turns 0x20 off for a working upstream: a forger would first have to match the ID and
/// the port of several queries in a row, and any reply that echoes the case resets the count.
/// </remarks>
internal sealed class CaseEcho(bool enabled)
{
    /// <summary>How many case mismatches in a row, with no echoed reply between them, turn 0x20 off for an upstream.</summary>
    internal const int MismatchesBeforeOff = 3;

    private readonly ConcurrentDictionary<IPEndPoint, State> _states = new();

    /// <summary>Whether names sent to <paramref name="upstream"/> get randomised case.</summary>
    public bool IsOn(IPEndPoint upstream) => enabled && !(_states.TryGetValue(upstream, out var state) && state.Off);

    /// <summary>A reply echoed the randomised case: the upstream does echo it.</summary>
    public void Echoed(IPEndPoint upstream)
    {
        if (_states.TryGetValue(upstream, out var state))
        {
            Interlocked.Exchange(ref state.Mismatches, 0);
        }
    }

    /// <summary>A reply had the question in another letter case. True when this turned 0x20 off for the upstream.</summary>
    public bool Mismatched(IPEndPoint upstream)
    {
        var state = _states.GetOrAdd(upstream, static _ => new State());

        // Exactly one caller sees the count reach the limit, so exactly one turns 0x20 off and reports it.
        if (Interlocked.Increment(ref state.Mismatches) != MismatchesBeforeOff)
        {
            return false;
        }

        state.Off = true;
        return true;
    }

    private sealed class State
    {
#pragma warning disable SA1401, CA1051 // a counter updated with Interlocked
        public int Mismatches;
#pragma warning restore SA1401, CA1051

        public volatile bool Off;
    }
}
