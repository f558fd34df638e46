using System.Text;

namespace NationalDns.Rpz.Tsig;

/// <summary>Domain names as TSIG handles them: canonical wire form (RFC 8945 §4.3.3: lower case, never compressed).</summary>
internal static class TsigNames
{
    private const int MaxPointers = 16;

    /// <summary>A text name (final dot optional) in canonical wire form; labels are taken as they are written.</summary>
    public static byte[] ToWire(string name)
    {
        var wire = new List<byte>(name.Length + 2);
        foreach (var label in name.TrimEnd('.').ToLowerInvariant().Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length > 63)
            {
                throw new FormatException($"'{name}': a label is longer than 63 characters");
            }

            wire.Add((byte)bytes.Length);
            wire.AddRange(bytes);
        }

        wire.Add(0);
        return wire.Count > 255 ? throw new FormatException($"'{name}': longer than 255 octets") : [.. wire];
    }

    /// <summary>
    /// Reads the name at <paramref name="offset"/> (following compression pointers a bounded number of times) in canonical
    /// wire form and moves <paramref name="offset"/> past it; false when the message ends first or the name is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, out byte[] canonical)
    {
        var wire = new List<byte>(32);
        var position = offset;
        var end = -1;
        for (var pointers = 0; position < message.Length;)
        {
            var length = message[position];
            if (length == 0)
            {
                wire.Add(0);
                offset = end >= 0 ? end : position + 1;
                canonical = [.. wire];
                return wire.Count <= 255;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++pointers > MaxPointers)
                {
                    break;
                }

                end = end >= 0 ? end : position + 2;
                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (length > 63 || position + 1 + length > message.Length)
            {
                break;
            }

            wire.Add(length);
            foreach (var b in message.Slice(position + 1, length))
            {
                wire.Add(b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b);
            }

            position += 1 + length;
        }

        canonical = [];
        return false;
    }

    /// <summary>A canonical wire name as text without the final dot ("." for the root), for logs.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var text = new StringBuilder();
        for (var i = 0; i < wire.Length && wire[i] != 0; i += wire[i] + 1)
        {
            text.Append(text.Length > 0 ? "." : string.Empty).Append(Encoding.Latin1.GetString(wire.Slice(i + 1, Math.Min(wire[i], wire.Length - i - 1))));
        }

        return text.Length == 0 ? "." : text.ToString();
    }
}
