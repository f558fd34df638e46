using System.Text;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>Domain names as TSIG handles them: canonical wire form (RFC 8945 §4.3.3: lower case, never compressed).</summary>
internal static class TsigNames
{
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
        var read = Pipeline.WireNames.TryRead(message, ref offset, label =>
        {
            wire.Add((byte)label.Length);
            foreach (var b in label)
            {
                wire.Add(b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b);
            }
        });
        wire.Add(0);
        canonical = read && wire.Count <= 255 ? [.. wire] : [];
        return canonical.Length > 0;
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
