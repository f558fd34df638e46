namespace NationalDns.Pipeline;

/// <summary>Walking names in a DNS message's octets, for the readers that patch or summarise messages without parsing them.</summary>
internal static class WireNames
{
    /// <summary>Moves <paramref name="offset"/> past the name there (its labels up to the root, or up to a compression pointer); false when the message ends first.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> message, ref int offset)
    {
        while (offset < message.Length)
        {
            var length = message[offset];
            if (length == 0)
            {
                offset++;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                offset += 2;
                return offset <= message.Length;
            }

            offset += 1 + length;
        }

        return false;
    }
}
