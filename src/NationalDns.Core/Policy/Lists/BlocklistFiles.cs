namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// Expands a configured blocklist path: a file is itself; a folder is every regular file under it, recursively,
/// in ordinal path order. Hidden entries (<c>.name</c>) and editor leftovers (<c>*~</c>, <c>*.swp</c>, <c>*.tmp</c>,
/// <c>#name#</c>) are skipped. Symbolic links to files are followed; links to folders are not, so a loop cannot form.
/// Only regular files (and links to them) are lists: a FIFO, device, socket or link loop in a folder is skipped with a
/// reason, as is a subfolder that cannot be listed, and the folder's other files load as usual.
/// </summary>
public static class BlocklistFiles
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0, // hidden is decided by name below, the same on every platform
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>True when the path names an existing file or folder (following links).</summary>
    internal static bool Exists(string configuredPath) => File.Exists(configuredPath) || Directory.Exists(configuredPath);

    /// <summary>The files under a configured path, each carrying the format forced on the path (if any).</summary>
    /// <param name="source">The configured path and the format forced on it.</param>
    /// <param name="skipped">Receives one line per entry skipped because it is not a list (<c>path: why</c>).</param>
    public static IReadOnlyList<BlocklistFile> Expand(Formats.ListSource source, ICollection<ListProblem>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var files = Expand(source.Path, skipped);
        return source.Format is null ? files : [.. files.Select(f => f with { Format = source.Format })];
    }

    /// <summary>The files to load for one configured path. Throws <see cref="BlocklistException"/> when it is missing or unreadable.</summary>
    public static IReadOnlyList<BlocklistFile> Expand(string configuredPath, ICollection<ListProblem>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(configuredPath);
        if (File.Exists(configuredPath))
        {
            return ListEntryKind.WhyNotAList(configuredPath) is { } why
                ? throw new BlocklistException($"blocklist '{configuredPath}' is {why}, not a regular file")
                : [new BlocklistFile(Path.GetFullPath(configuredPath), configuredPath)];
        }

        if (!Directory.Exists(configuredPath))
        {
            throw new BlocklistException(NotFound(configuredPath));
        }

        var found = new List<BlocklistFile>();
        try
        {
            Collect(new DirectoryInfo(configuredPath), configuredPath, found, skipped ?? []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BlocklistException($"cannot read blocklist '{configuredPath}': {ex.Message}", ex);
        }

        found.Sort((a, b) => string.CompareOrdinal(a.DisplayPath, b.DisplayPath));
        return found;
    }

    /// <summary>The error for a configured path that does not exist; a relative one says which folder it was looked for in.</summary>
    public static string NotFound(string configuredPath) => Path.IsPathRooted(configuredPath)
        ? $"blocklist '{configuredPath}' not found"
        : $"blocklist '{configuredPath}' not found in {Directory.GetCurrentDirectory()} (a relative path is read from the folder the server is started in)";

    private static bool IsIgnoredName(string name) =>
        name.StartsWith('.')
            || name.EndsWith('~')
            || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
            || (name.Length > 1 && name.StartsWith('#') && name.EndsWith('#'));

    private static void Collect(DirectoryInfo folder, string displayFolder, List<BlocklistFile> found, ICollection<ListProblem> skipped)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos("*", OneLevel))
        {
            if (IsIgnoredName(entry.Name))
            {
                continue;
            }

            var display = Path.Join(displayFolder, entry.Name);
            try
            {
                CollectEntry(entry, display, found, skipped);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // One bad entry (an unlistable subfolder, a link that cannot be resolved) must not cost the others.
                skipped.Add(new ListProblem(new RuleSource(display, 0), $"skipped: {ex.Message}"));
            }
        }
    }

    private static void CollectEntry(FileSystemInfo entry, string display, List<BlocklistFile> found, ICollection<ListProblem> skipped)
    {
        if (entry is DirectoryInfo subfolder)
        {
            if (subfolder.LinkTarget is null)
            {
                Collect(subfolder, display, found, skipped);
            }
        }
        else if (ListEntryKind.WhyNotAList(entry.FullName) is { } why)
        {
            skipped.Add(new ListProblem(new RuleSource(display, 0), $"skipped: {why}, not a regular file"));
        }
        else if (IsRegularFile((FileInfo)entry))
        {
            found.Add(new BlocklistFile(entry.FullName, display));
        }
    }

    // A link counts when it ends at a file; a dangling link is not a list.
    private static bool IsRegularFile(FileInfo file) =>
        file.LinkTarget is null || file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true };
}
