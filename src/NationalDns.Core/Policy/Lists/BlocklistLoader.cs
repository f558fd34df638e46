using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// Loads the configured lists and reloads them when they change. <see cref="Load"/> fails fast; <see cref="Reload"/>
/// never throws for a file problem: an unreadable file keeps its last good rules, a deleted one loses them, and a
/// changed file is read only once its signature has held still for one poll, so a half-written file is not served.
/// A file must also be missing on two polls in a row before its rules go, so a rename never opens a gap.
/// Not thread-safe: one caller (the watcher) drives it; <see cref="Current"/> may be read from anywhere.
/// </summary>
public sealed class BlocklistLoader
{
    /// <summary>The largest list file read by default: far past any real list (a million rules is ~30 MB).</summary>
    public const long DefaultMaxListSize = 512L << 20;

    private readonly IReadOnlyList<ListSource> _sources;
    private readonly IReadOnlyList<string> _paths;
    private readonly ListFileReader _reader;
    private readonly Dictionary<string, TrackedListFile> _files = new(StringComparer.Ordinal);
    private readonly string?[] _pathErrors;
    private readonly int[] _pathMisses;
    private List<TrackedListFile> _order = [];
    private List<ListProblem> _skipped = [];
    private IReadOnlyList<ListProblem> _publishedSkipped = [];
    private volatile BlocklistSnapshot? _current;

    /// <param name="paths">Files or folders, in load order; <c>FORMAT:PATH</c> forces a format (<see cref="ListSource.Parse"/>).</param>
    /// <param name="defaultAction">The action for rules that name none.</param>
    /// <param name="openRead">Opens a file to read it from start to end (the parsers stream it); a <see cref="FileStream"/> unless a test needs otherwise.</param>
    /// <param name="groups">The defined client groups, which <c>group=</c> and <c>groups/NAME/</c> folders must name.</param>
    /// <param name="maxListSize">A file larger than this many bytes is refused with an error, not read; the others still load.</param>
    public BlocklistLoader(IReadOnlyList<string> paths, BlockAction defaultAction, Func<string, Stream>? openRead = null, ClientGroups? groups = null, long maxListSize = DefaultMaxListSize)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(defaultAction);
        _sources = [.. paths.Select(ListSource.Parse)];
        _paths = [.. _sources.Select(s => s.Path)];
        _reader = new ListFileReader(openRead ?? ListFileReader.OpenRead, defaultAction, new GroupScope(groups ?? ClientGroups.None)) { MaxSize = maxListSize };
        _pathErrors = new string?[_paths.Count];
        _pathMisses = new int[_paths.Count];
    }

    /// <summary>The snapshot last produced, or null before <see cref="Load"/>.</summary>
    public BlocklistSnapshot? Current => _current;

    /// <summary>
    /// Whether lists are configured but not one file of them is in force (the folder is empty, or its last file was
    /// deleted): every name would be forwarded, the worst way for a censoring resolver to fail. At start-up and while
    /// running alike it is a warning, a metric and a <c>/readyz</c> that is not ready.
    /// </summary>
    public bool HasNoListInForce => _paths.Count > 0 && _current is { FilesInForce: 0 };

    /// <summary>The configured list paths, for messages.</summary>
    public string Paths => string.Join(", ", _paths);

    /// <summary>Whether the last reload saw a change it is waiting to confirm; the caller may poll again sooner.</summary>
    public bool HasPendingChanges =>
        _files.Values.Any(f => f.Pending is not null || f.IsMissing) || _pathMisses.Any(misses => misses == 1);

    /// <summary>Reads every list now. Throws <see cref="BlocklistException"/> when a configured path is missing or unreadable.</summary>
    public BlocklistSnapshot Load()
    {
        _files.Clear();
        Array.Clear(_pathErrors);
        Array.Clear(_pathMisses);
        _skipped = [];
        var order = new List<TrackedListFile>();
        for (var i = 0; i < _paths.Count; i++)
        {
            foreach (var file in BlocklistFiles.Expand(_sources[i], _skipped))
            {
                if (_files.ContainsKey(file.DisplayPath))
                {
                    continue;
                }

                if (_reader.TryRead(file, out var readUnder, out var parsed) is { } error)
                {
                    if (!error.TooLarge)
                    {
                        throw new BlocklistException(error.Message);
                    }

                    // Too large is a decision about the file, not a broken setup: the others load, and it is reported.
                    var refused = new TrackedListFile(file) { PathIndex = i };
                    refused.Refuse(error.Message);
                    _files.Add(file.DisplayPath, refused);
                    order.Add(refused);
                    continue;
                }

                // A file that moved during the read is kept (startup needs an answer) but has no signature,
                // so the first polls read it again once it holds still.
                var tracked = new TrackedListFile(file) { PathIndex = i, Parsed = parsed, Loaded = readUnder };
                _files.Add(file.DisplayPath, tracked);
                order.Add(tracked);
            }
        }

        return Publish(order);
    }

    /// <summary>Looks for changes. Returns null when nothing a snapshot shows has changed since the last call.</summary>
    public BlocklistReload? Reload()
    {
        var previous = _current ?? throw new InvalidOperationException("Load the blocklists before reloading them.");
        var change = new BlocklistChangeCollector();
        var order = new List<TrackedListFile>();
        var claimed = new HashSet<TrackedListFile>();
        _skipped = [];
        for (var i = 0; i < _paths.Count; i++)
        {
            RefreshPath(i, order, claimed, change);
        }

        if (!_skipped.SequenceEqual(_publishedSkipped))
        {
            change.SkippedEntriesChanged();
        }

        foreach (var gone in _files.Values.Where(f => !claimed.Contains(f)).ToList())
        {
            // Missing on one poll only may be a rename or a delete-and-rewrite under way: keep serving it until the next.
            if (!gone.IsMissing && gone.IsReported)
            {
                gone.IsMissing = true;
                order.Add(gone);
                continue;
            }

            if (gone.IsReported)
            {
                change.Removed(gone.File.DisplayPath, gone.Parsed);
            }

            _files.Remove(gone.File.DisplayPath);
        }

        order.Sort(LoadOrder);

        if (!change.HasChanges)
        {
            return null;
        }

        var snapshot = Publish(order);
        var known = previous.Warnings.Select(w => w.ToString()).ToHashSet(StringComparer.Ordinal);
        return new BlocklistReload(snapshot, change.ToChange([.. snapshot.Warnings.Where(w => !known.Contains(w.ToString()))]));
    }

    /// <summary>Refreshes the files under one configured path and appends those still present to <paramref name="order"/>.</summary>
    private void RefreshPath(int index, List<TrackedListFile> order, HashSet<TrackedListFile> claimed, BlocklistChangeCollector change)
    {
        var path = _paths[index];
        if (!BlocklistFiles.Exists(path))
        {
            // Its files are not appended, so they count as removed: a deleted list stops blocking. Like a missing
            // file, a missing path is reported only when the next poll does not find it either.
            if (++_pathMisses[index] > 1)
            {
                SetPathError(index, BlocklistFiles.NotFound(path), change);
            }

            return;
        }

        _pathMisses[index] = 0;

        IReadOnlyList<BlocklistFile> files;
        try
        {
            files = BlocklistFiles.Expand(_sources[index], _skipped);
        }
        catch (BlocklistException ex)
        {
            // The folder exists but cannot be listed: keep serving what it held.
            SetPathError(index, ex.Message, change);
            order.AddRange(_order.Where(f => f.PathIndex == index && claimed.Add(f)));
            return;
        }

        SetPathError(index, null, change);
        foreach (var file in files)
        {
            if (!_files.TryGetValue(file.DisplayPath, out var tracked))
            {
                tracked = new TrackedListFile(file);
                _files.Add(file.DisplayPath, tracked);
            }
            else if (claimed.Contains(tracked))
            {
                continue; // reached through an earlier configured path too; it loads once, in the first place
            }

            tracked.PathIndex = index;
            tracked.IsMissing = false;
            if (tracked.Refresh(_reader, change))
            {
                claimed.Add(tracked);
                order.Add(tracked);
            }
        }
    }

    private void SetPathError(int index, string? error, BlocklistChangeCollector change)
    {
        if (_pathErrors[index] == error)
        {
            return;
        }

        if (error is null)
        {
            change.Recovered();
        }
        else
        {
            change.Failed(_paths[index], error);
        }

        _pathErrors[index] = error;
    }

    private BlocklistSnapshot Publish(List<TrackedListFile> order)
    {
        var reported = order.Where(f => f.IsReported).ToList();
        var builder = new RuleSetBuilder(reported.Sum(f => f.Parsed?.Rules.Count ?? 0));
        foreach (var file in reported)
        {
            builder.AddRange(file.Parsed?.Rules ?? []);
        }

        var snapshot = new BlocklistSnapshot(
            builder.Build(),
            [.. reported.Select(f => f.ToReport())],
            [.. _skipped, .. builder.Warnings],
            [.. _pathErrors.OfType<string>()]);
        _order = order;
        _publishedSkipped = _skipped;
        _current = snapshot;
        return snapshot;
    }

    // Files in configured-path order, then in ordinal path order, as BlocklistFiles lists them.
    private static int LoadOrder(TrackedListFile a, TrackedListFile b) => a.PathIndex != b.PathIndex
        ? a.PathIndex.CompareTo(b.PathIndex)
        : string.CompareOrdinal(a.File.DisplayPath, b.File.DisplayPath);
}
