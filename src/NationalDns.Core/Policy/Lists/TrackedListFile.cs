using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Policy.Lists;

/// <summary>What the loader remembers about one list file between polls, and how it catches up with the disk.</summary>
internal sealed class TrackedListFile(BlocklistFile file)
{
    public BlocklistFile File { get; } = file;

    /// <summary>Which configured path the file was last found under.</summary>
    public int PathIndex { get; set; }

    /// <summary>The last good parse; null until the file has been read once.</summary>
    public ParsedList? Parsed { get; set; }

    /// <summary>The signature the content in <see cref="Parsed"/> was read under.</summary>
    public FileSignature? Loaded { get; set; }

    /// <summary>A new signature seen on the previous poll, read only if the next poll sees it again.</summary>
    public FileSignature? Pending { get; private set; }

    /// <summary>Not found on the last poll; removed if the next poll does not find it either.</summary>
    public bool IsMissing { get; set; }

    /// <summary>Why the last read failed, or null.</summary>
    public string? ReadError { get; private set; }

    /// <summary>Whether the file belongs in a snapshot: read once, or failed and worth reporting.</summary>
    public bool IsReported => Parsed is not null || ReadError is not null;

    /// <summary>Re-reads the file if it changed and has held still since the last poll. Returns false when it is gone.</summary>
    public bool Refresh(ListFileReader reader, BlocklistChangeCollector change)
    {
        FileSignature? now;
        try
        {
            now = FileSignature.Of(File.FullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail(ListFileReader.CannotRead(File, ex), change);
            return true;
        }

        if (now is null)
        {
            return false;
        }

        if (now == Loaded && ReadError is null)
        {
            Pending = null;
            return true;
        }

        if (now != Pending)
        {
            Pending = now; // changed since the last poll: perhaps still being written
            return true;
        }

        if (reader.TryRead(File, out var readUnder, out var parsed) is { } error)
        {
            Fail(error.Message, change);
            return true;
        }

        if (readUnder != now)
        {
            Pending = null; // written while we read it: wait for it to hold still again
            return true;
        }

        change.Read(File.DisplayPath, Parsed, parsed);
        Parsed = parsed;
        Loaded = now;
        Pending = null;
        ReadError = null;
        return true;
    }

    /// <summary>Marks a file the initial load refused (too large); the next polls try it again.</summary>
    public void Refuse(string error) => ReadError = error;

    public BlocklistFileReport ToReport()
    {
        var parsed = Parsed ?? ParsedList.Empty(File.DisplayPath);
        return parsed.UndefinedGroup is { } group
            ? new BlocklistFileReport(File.DisplayPath, parsed.HeldBlocks, parsed.HeldExceptions, parsed.Problems, ReadError, parsed.Format, parsed.Skipped, group)
            : new BlocklistFileReport(File.DisplayPath, parsed.BlockCount, parsed.ExceptionCount, parsed.Problems, ReadError, parsed.Format, parsed.Skipped, NeverRead: Parsed is null);
    }

    // The last good rules stay; only a new or different error is news.
    private void Fail(string error, BlocklistChangeCollector change)
    {
        Pending = null;
        if (ReadError != error)
        {
            ReadError = error;
            change.Failed(File.DisplayPath, error);
        }
    }
}
