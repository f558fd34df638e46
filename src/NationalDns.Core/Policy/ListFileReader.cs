using NationalDns.Policy.Groups;

namespace NationalDns.Policy;

/// <summary>Reads and parses one list file, and tells whether the file held still while it was read.</summary>
internal sealed class ListFileReader(Func<string, byte[]> readAllBytes, BlockAction defaultAction, GroupScope? groupScope = null)
{
    /// <summary>
    /// Reads the file; returns an error line instead of throwing (also for a file in the wrong encoding or format). <paramref name="readUnder"/> is the signature that held
    /// both before and after the read, or null when the file moved meanwhile (then the content may be half-written).
    /// </summary>
    public string? TryRead(BlocklistFile file, out FileSignature? readUnder, out ParsedList parsed)
    {
        byte[] bytes;
        try
        {
            var before = FileSignature.Of(file.FullPath);
            bytes = readAllBytes(file.FullPath);
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
            return CannotRead(file, ex);
        }

        parsed = BlocklistParser.Parse(bytes, file.DisplayPath, defaultAction, file.Format);
        if (parsed.FileProblem is { } unusable)
        {
            // Wrong encoding or the wrong format: as unusable as an unreadable file, so it is treated as one
            // (an error at startup; on reload the last good rules stay).
            parsed = ParsedList.Empty(file.DisplayPath);
            return $"blocklist {unusable}";
        }

        parsed = groupScope?.Apply(parsed) ?? parsed;
        return null;
    }

    public static string CannotRead(BlocklistFile file, Exception ex) => $"cannot read blocklist '{file.DisplayPath}': {ex.Message}";
}
