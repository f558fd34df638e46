namespace NationalDns.Core.Policy.Formats;

/// <summary>One format's parser, fed a file's lines in order by <see cref="BlocklistParser"/>, so no parser needs the whole file.</summary>
internal interface IListFormatParser
{
    /// <summary>Reads one line: its bytes without the line break, <paramref name="number"/> counting from 1.</summary>
    void Read(ReadOnlySpan<byte> line, int number);

    /// <summary>Reports a line that cannot be read at all (one too long to hold).</summary>
    void Reject(int number, string reason);

    /// <summary>The file's rules and bad lines, once every line was read.</summary>
    ParsedList Finish();
}
