using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// Reads and parses one list file, and tells whether the file held still while it was read. The file streams through the
/// parser (<see cref="BlocklistParser.Parse(Stream, string, BlockAction, ListFormat?)"/>): it is never in memory whole.
/// </summary>
internal sealed class ListFileReader(Func<string, Stream> openRead, BlockAction defaultAction, GroupScope? groupScope = null)
{
    /// <summary>Files larger than this many bytes are refused before they are opened.</summary>
    public long MaxSize { get; init; } = BlocklistLoader.DefaultMaxListSize;

    /// <summary>
    /// Reads the file; returns an error line instead of throwing (also for a file in the wrong encoding or format). <paramref name="readUnder"/> is the signature that held
    /// both before and after the read, or null when the file moved meanwhile (then the content may be half-written).
    /// </summary>
    public ReadError? TryRead(BlocklistFile file, out FileSignature? readUnder, out ParsedList parsed)
    {
        try
        {
            var before = FileSignature.Of(file.FullPath);
            if (before is { Length: var length } && length > MaxSize)
            {
                readUnder = null;
                parsed = ParsedList.Empty(file.DisplayPath);
                return new ReadError($"blocklist '{file.DisplayPath}' is {Megabytes(length)}, over --max-list-size ({Megabytes(MaxSize)}); not loaded", TooLarge: true);
            }

            using (var stream = openRead(file.FullPath))
            {
                parsed = BlocklistParser.Parse(stream, file.DisplayPath, defaultAction, file.Format);
            }

            var after = FileSignature.Of(file.FullPath);
            if (before is null || after is null)
            {
                throw new FileNotFoundException("the file disappeared while it was read");
            }

            readUnder = before == after ? after : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            readUnder = null;
            parsed = ParsedList.Empty(file.DisplayPath);
            return new ReadError(CannotRead(file, ex));
        }

        if (parsed.FileProblem is { } unusable)
        {
            // Wrong encoding or the wrong format: as unusable as an unreadable file, so it is treated as one
            // (an error at startup; on reload the last good rules stay).
            parsed = ParsedList.Empty(file.DisplayPath);
            return new ReadError($"blocklist {unusable}");
        }

        parsed = groupScope?.Apply(parsed) ?? parsed;
        return null;
    }

    private static string Megabytes(long bytes) => bytes >= 1 << 20 ? $"{bytes / (1 << 20)} MB" : $"{bytes} bytes";

    /// <summary>Opens a list for reading from start to end; its own buffer does the buffering.</summary>
    public static Stream OpenRead(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    public static string CannotRead(BlocklistFile file, Exception ex) => $"cannot read blocklist '{file.DisplayPath}': {ex.Message}";
}

/// <summary>Why a list file was not loaded; <paramref name="TooLarge"/> when it was refused for its size alone.</summary>
internal sealed record ReadError(string Message, bool TooLarge = false);
