namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// How a cached answer's TTLs are written: each record's TTL (one with the top bit set counts as 0, RFC 2181 §8) capped
/// at the entry's lifetime, so no record outlives the entry (and a negative answer's SOA counts down from min(TTL,
/// MINIMUM), RFC 2308 §5), minus the entry's age, never below 0. <see cref="None"/> leaves the upstream's TTLs as sent.
/// </summary>
/// <param name="Offsets">Where each record's TTL sits in the reply's octets (OPT excluded); null for none.</param>
/// <param name="Lifetime">The entry's lifetime in seconds.</param>
/// <param name="Age">The entry's age in seconds.</param>
internal readonly record struct TtlCountdown(ushort[]? Offsets, int Lifetime, int Age)
{
    public static TtlCountdown None => default;

    /// <summary>The TTL to write for one the upstream sent.</summary>
    public uint Apply(uint ttl) => (uint)Math.Max(0, Math.Min(ttl > int.MaxValue ? 0 : (int)ttl, Lifetime) - Age);
}
