namespace NationalDns.Core.Pipeline;

/// <summary>The fixed sizes and numbers of the DNS wire format that the readers and writers of raw messages share.</summary>
internal static class WireFormat
{
    /// <summary>The header: ID, flags and the four section counts (RFC 1035 §4.1.1).</summary>
    public const int HeaderSize = 12;

    /// <summary>The OPT pseudo-record's type (RFC 6891).</summary>
    public const ushort TypeOpt = 41;

    /// <summary>The CNAME record's type.</summary>
    public const ushort TypeCName = 5;

    /// <summary>Class IN.</summary>
    public const ushort ClassIn = 1;

    /// <summary>
    /// How many CNAME links an answer's chain is followed for the policy check of its targets; a longer chain is left
    /// to the upstream's judgement (the pipeline and the fast path stop at the same length).
    /// </summary>
    public const int MaxChainLength = 16;
}
