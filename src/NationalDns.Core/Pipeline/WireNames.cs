namespace NationalDns.Core.Pipeline;

/// <summary>Walking names in a DNS message's octets, for the readers that patch or summarise messages without parsing them.</summary>
internal static class WireNames
{
    private const int MaxPointers = 16;

    /// <summary>Called with each label of a name, first to last, as <see cref="TryRead(ReadOnlySpan{byte}, ref int, LabelVisitor)"/> meets it.</summary>
    public delegate void LabelVisitor(ReadOnlySpan<byte> label);

    /// <summary>What <see cref="TryRead{TVisitor}"/> hands each label to: a struct, so a reader that writes into a span allocates nothing.</summary>
    public interface ILabelVisitor
    {
        void Visit(ReadOnlySpan<byte> label);
    }

    /// <summary>
    /// Hands each label of the name at <paramref name="offset"/> to <paramref name="visit"/>, following compression
    /// pointers a bounded number of times, and moves <paramref name="offset"/> past the name; false when the message
    /// ends first or a label is malformed (the visitor may then have seen some labels).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, LabelVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var visitor = new DelegateVisitor(visit);
        return TryRead(message, ref offset, ref visitor);
    }

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, ref int, LabelVisitor)"/>, with a visitor that may be a ref struct.</summary>
    public static bool TryRead<TVisitor>(ReadOnlySpan<byte> message, ref int offset, ref TVisitor visitor)
        where TVisitor : ILabelVisitor, allows ref struct
    {
        var position = offset;
        var end = -1;
        for (var pointers = 0; position < message.Length;)
        {
            var length = message[position];
            if (length == 0)
            {
                offset = end >= 0 ? end : position + 1;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++pointers > MaxPointers)
                {
                    return false;
                }

                end = end >= 0 ? end : position + 2;
                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (length > 63 || position + 1 + length > message.Length)
            {
                return false;
            }

            visitor.Visit(message.Slice(position + 1, length));
            position += 1 + length;
        }

        return false;
    }

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

    private readonly struct DelegateVisitor(LabelVisitor visit) : ILabelVisitor
    {
        public void Visit(ReadOnlySpan<byte> label) => visit(label);
    }
}
