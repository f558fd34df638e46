namespace NationalDns.Core.Policy.Formats;

/// <summary>Walks the lines of a file's bytes (LF or CRLF) without copying them, counting from 1.</summary>
internal ref struct ListLines(ReadOnlySpan<byte> content)
{
    private ReadOnlySpan<byte> _rest = content;

    /// <summary>The 1-based number of the line last returned.</summary>
    public int Number { get; private set; }

    public bool TryNext(out ReadOnlySpan<byte> line)
    {
        if (_rest.IsEmpty)
        {
            line = default;
            return false;
        }

        Number++;
        var end = _rest.IndexOf((byte)'\n');
        line = end < 0 ? _rest : _rest[..end];
        _rest = end < 0 ? [] : _rest[(end + 1)..];
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }

        return true;
    }
}
