namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Reads a list's lines (LF or CRLF) from a stream through one buffer, counting from 1, so a file is never in memory
/// whole: the buffer holds the line being read and what follows it, 64 KB at first and as much as the longest line
/// needs, up to <see cref="MaxLineLength"/>. A longer line is skipped unread and reported (<see cref="LineTooLong"/>):
/// no list format has lines that long, and holding one would make the memory follow the file's bytes again.
/// </summary>
internal sealed class StreamLines
{
    /// <summary>The longest line read; a registry row naming thousands of addresses is a few tens of KB.</summary>
    public const int MaxLineLength = 1 << 20;

    private const int FirstBufferSize = 64 << 10;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[FirstBufferSize];
    private int _start;
    private int _end;
    private long _dropped;
    private bool _atEnd;

    /// <summary>Reads the first 64 KB at once, so <see cref="Prefix"/> can be looked at before the first line is taken.</summary>
    public StreamLines(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        Fill();
    }

    /// <summary>The file's first bytes (up to 64 KB), for recognising its format; read it before the first <see cref="TryNext"/>.</summary>
    public ReadOnlySpan<byte> Prefix => _buffer.AsSpan(0, _end);

    /// <summary>Whether <see cref="Prefix"/> is the whole file.</summary>
    public bool PrefixIsWhole => _atEnd && _dropped == 0;

    /// <summary>The 1-based number of the line last returned.</summary>
    public int Number { get; private set; }

    /// <summary>How many bytes of the stream the lines returned so far spanned, line breaks included.</summary>
    public long Position => _dropped + _start;

    /// <summary>Whether the line last returned was longer than <see cref="MaxLineLength"/>; it was then skipped and returned empty.</summary>
    public bool LineTooLong { get; private set; }

    /// <summary>The next line without its line break; the span is valid until the next call.</summary>
    public bool TryNext(out ReadOnlySpan<byte> line)
    {
        LineTooLong = false;
        var searched = 0; // bytes after _start known to hold no line feed
        while (true)
        {
            var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(searched + newline, lineFeed: 1);
                return true;
            }

            searched = _end - _start;
            if (searched >= MaxLineLength)
            {
                SkipRestOfLine();
                LineTooLong = true;
                Number++;
                line = default;
                return true;
            }

            if (_atEnd)
            {
                // The last line may end without a line break; an empty rest is no line.
                line = searched == 0 ? default : Take(searched, lineFeed: 0);
                return searched > 0;
            }

            MakeRoom();
            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int lineFeed)
    {
        var line = _buffer.AsSpan(_start, length);
        _start += length + lineFeed;
        Number++;
        return line.EndsWith((byte)'\r') ? line[..^1] : line;
    }

    // Moves the unread rest to the front, and doubles the buffer when that rest fills it (a line longer than it).
    private void MakeRoom()
    {
        var rest = _end - _start;
        if (rest == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineLength));
            return;
        }

        _buffer.AsSpan(_start, rest).CopyTo(_buffer);
        _dropped += _start;
        _start = 0;
        _end = rest;
    }

    private void SkipRestOfLine()
    {
        while (true)
        {
            _dropped += _end;
            _start = _end = 0;
            if (_atEnd)
            {
                return;
            }

            Fill();
            var newline = _buffer.AsSpan(0, _end).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                return;
            }
        }
    }

    private void Fill()
    {
        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _atEnd = true;
                return;
            }

            _end += read;
        }
    }
}
