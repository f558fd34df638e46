namespace NationalDns.Core.Rpz;

/// <summary>
/// A zone's SOA serial with RFC 1982 arithmetic: it wraps at 2^32, and one serial is newer than another when it is ahead by
/// less than 2^31. Two serials exactly 2^31 apart are neither newer nor older (the RFC leaves that undefined).
/// </summary>
public readonly record struct SerialNumber(uint Value)
{
    private const uint HalfRange = 1u << 31;

    /// <summary>Whether this serial is newer than <paramref name="other"/> (RFC 1982 §3.2, "s1 &gt; s2").</summary>
    public bool IsNewerThan(SerialNumber other) =>
        (Value > other.Value && Value - other.Value < HalfRange) || (Value < other.Value && other.Value - Value > HalfRange);

    /// <summary>This serial plus <paramref name="increment"/>, which RFC 1982 limits to 0 ... 2^31 - 1.</summary>
    public SerialNumber Add(uint increment)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(increment, HalfRange);
        return new SerialNumber(unchecked(Value + increment));
    }

    /// <summary>
    /// The serial of the next version of a zone: one more than this, or <paramref name="clock"/> (Unix seconds) when that
    /// is newer. Starting from the clock keeps a restarted server from going back behind what its secondaries hold, as long
    /// as it published fewer versions than seconds passed, which is what BIND's <c>serial-update-method unixtime</c> does.
    /// </summary>
    public SerialNumber Next(SerialNumber clock)
    {
        var next = Add(1);
        return clock.IsNewerThan(next) ? clock : next;
    }

    /// <summary>The clock serial for <paramref name="at"/>: Unix time in seconds, modulo 2^32.</summary>
    public static SerialNumber FromTime(DateTimeOffset at) => new(unchecked((uint)at.ToUnixTimeSeconds()));

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
