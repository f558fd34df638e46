using System.Text.Unicode;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Tells, line by line as a file streams past, whether a file that must be Windows-1251 is not, and the line that shows it:
/// a NUL byte means UTF-16 or a binary file; a UTF-8 byte-order mark, or non-ASCII text that is entirely valid UTF-8, means
/// UTF-8. Cyrillic text in Windows-1251 is practically never valid UTF-8 (its letters are 0xC0-0xFF, which UTF-8 only
/// allows as lead bytes of a sequence), so one line that is not UTF-8 settles it. (Windows-1251 itself cannot be
/// validated: every byte but 0x98 is a character, so pure ASCII passes too.) The checks are vectorised and stop once settled.
/// </summary>
internal sealed class Windows1251Check
{
    private int _nulLine;
    private int _firstNonAsciiLine;
    private bool _startsWithBom;
    private bool _notUtf8;

    /// <summary>Looks at one line (its bytes without the line break).</summary>
    public void Read(ReadOnlySpan<byte> line, int number)
    {
        if (number == 1 && TextEncodings.HasUtf8Bom(line))
        {
            _startsWithBom = true;
        }

        if (_nulLine == 0 && line.Contains((byte)0))
        {
            _nulLine = number;
        }

        if (_notUtf8 || !line.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
        {
            return;
        }

        _firstNonAsciiLine = _firstNonAsciiLine == 0 ? number : _firstNonAsciiLine;
        _notUtf8 = !Utf8.IsValid(line);
    }

    /// <summary>Why the file read so far is not Windows-1251, with the line that shows it, or null when it may be.</summary>
    public (int Line, string Reason)? Verdict()
    {
        if (_nulLine > 0)
        {
            return (_nulLine, "the file holds NUL bytes (UTF-16 or not text); a registry dump is Windows-1251 text");
        }

        if (_startsWithBom || (_firstNonAsciiLine > 0 && !_notUtf8))
        {
            return (_startsWithBom ? 1 : _firstNonAsciiLine,
                "the file is UTF-8, but a registry dump is Windows-1251; convert it back (iconv -f UTF-8 -t WINDOWS-1251) or fetch the original");
        }

        return null;
    }
}
