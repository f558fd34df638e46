namespace NationalDns.Core.Pipeline;

/// <summary>The fixed sizes and numbers of the DNS wire format that the readers and writers of raw messages share.</summary>
internal static class WireFormat
{
    /// <summary>The header: ID, flags and the four section counts (RFC 1035 §4.1.1).</summary>
    public const int HeaderSize = 12;

    /// <summary>The header's flag bits (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD and CD): QR.</summary>
    public const ushort ResponseBit = 0x8000;

    /// <summary>The four OPCODE bits.</summary>
    public const ushort OpcodeMask = 0x7800;

    /// <summary>AA.</summary>
    public const ushort AuthoritativeBit = 0x0400;

    /// <summary>TC.</summary>
    public const ushort TruncatedBit = 0x0200;

    /// <summary>RD.</summary>
    public const ushort RecursionDesiredBit = 0x0100;

    /// <summary>RA.</summary>
    public const ushort RecursionAvailableBit = 0x0080;

    /// <summary>AD.</summary>
    public const ushort AuthenticDataBit = 0x0020;

    /// <summary>CD.</summary>
    public const ushort CheckingDisabledBit = 0x0010;

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
