using System.Text;
using System.Text.Unicode;

namespace NationalDns.Core.Policy.Formats;

/// <summary>Decodes one line of a UTF-8 list, or says why it cannot: a bad line costs that line, not the file.</summary>
internal static class Utf8Text
{
    public static bool TryDecode(ReadOnlySpan<byte> line, out string text, out string? error)
    {
        if (!Utf8.IsValid(line))
        {
            text = string.Empty;
            error = TextEncodings.InvalidUtf8Reason(line);
            return false;
        }

        text = Encoding.UTF8.GetString(line);
        error = null;
        return true;
    }
}
