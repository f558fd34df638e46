using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Http;

/// <summary>
/// Adds and removes rules in the configured list files for the admin API. A file is never half-written: the new
/// content goes to a hidden temporary file in the same folder (<c>.name.*.tmp</c>, which the list scanner skips),
/// is flushed to disk, and replaces the list with one rename. Edits are serialised, so two concurrent requests
/// cannot lose each other's change. The running server's watcher then reloads the file as after any edit.
/// </summary>
internal sealed class ListFileEditor(IReadOnlyList<string> configuredPaths, BlockAction defaultAction) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>Every list file, as the server loads them.</summary>
    public IReadOnlyList<BlocklistFile> Files() => [.. configuredPaths.SelectMany(path => BlocklistFiles.Expand(path)).DistinctBy(f => f.FullPath)];

    /// <summary>
    /// The list file a request names (by its path as shown in rule sources, its full path or its file name); with no
    /// name, the first list file that is for every client (not under <c>groups/NAME/</c>, whose rules apply to one group
    /// only, or to none while that group is not defined). Null when nothing matches: the API never writes outside the
    /// configured lists.
    /// </summary>
    public BlocklistFile? Resolve(string? name)
    {
        var files = Files();
        if (string.IsNullOrWhiteSpace(name))
        {
            return files.FirstOrDefault(f => GroupScope.FolderGroup(f.DisplayPath) is null);
        }

        return files.FirstOrDefault(f => f.DisplayPath == name)
            ?? files.FirstOrDefault(f => f.FullPath == name)
            ?? files.FirstOrDefault(f => Path.GetFileName(f.FullPath) == name);
    }

    /// <summary>Parses one rule as a list line would be parsed; null with a reason when it is not exactly one valid rule.</summary>
    public BlockRule? ParseRule(string line, out string? error)
    {
        var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes(line), "request", defaultAction);
        if (parsed.Problems.Count > 0)
        {
            error = parsed.Problems[0].ToString();
            return null;
        }

        if (parsed.Rules.Count != 1)
        {
            error = "expected exactly one rule";
            return null;
        }

        error = null;
        return parsed.Rules[0];
    }

    /// <summary>The rules one file holds now, as read from disk, in the format the loader reads it in (forced or recognised).</summary>
    public static IReadOnlyList<BlockRule> RulesIn(BlocklistFile file, BlockAction defaultAction)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = File.OpenRead(file.FullPath);
        return BlocklistParser.Parse(stream, file.DisplayPath, defaultAction, file.Format).Rules;
    }

    /// <summary>Appends <paramref name="line"/> unless the file already has a rule with the same pattern; false if it does.</summary>
    public async Task<bool> AddAsync(BlocklistFile file, string pattern, string line, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = await File.ReadAllTextAsync(file.FullPath, cancellationToken);
            if (RulesIn(file, defaultAction).Any(r => r.Pattern == pattern))
            {
                return false;
            }

            var separator = text.Length == 0 || text.EndsWith('\n') ? string.Empty : "\n";
            await ReplaceAsync(file.FullPath, text + separator + line + "\n", cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes every line whose rule has <paramref name="pattern"/>; returns their sources (none: nothing changed).</summary>
    public async Task<IReadOnlyList<RuleSource>> RemoveAsync(BlocklistFile file, string pattern, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = await File.ReadAllTextAsync(file.FullPath, cancellationToken);
            var removed = RulesIn(file, defaultAction).Where(r => r.Pattern == pattern).Select(r => r.Source).ToList();
            if (removed.Count == 0)
            {
                return removed;
            }

            var drop = removed.Select(s => s.Line - 1).ToHashSet();
            var lines = text.Split('\n');
            var kept = lines.Where((_, index) => !drop.Contains(index));
            await ReplaceAsync(file.FullPath, string.Join('\n', kept), cancellationToken);
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Gives every block rule with <paramref name="pattern"/> the action <paramref name="action"/>, keeping its window, group and
    /// comment; returns their sources (none: nothing changed). Exceptions have no action and are left alone.
    /// </summary>
    public async Task<IReadOnlyList<RuleSource>> ChangeActionAsync(BlocklistFile file, string pattern, BlockAction action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var text = await File.ReadAllTextAsync(file.FullPath, cancellationToken);
            var changed = RulesIn(file, defaultAction).Where(r => r.Pattern == pattern && !r.IsException).ToList();
            if (changed.Count == 0)
            {
                return [];
            }

            var lines = text.Split('\n');
            foreach (var rule in changed)
            {
                lines[rule.Source.Line - 1] = WithAction(lines[rule.Source.Line - 1], rule, action);
            }

            await ReplaceAsync(file.FullPath, string.Join('\n', lines), cancellationToken);
            return [.. changed.Select(r => r.Source)];
        }
        finally
        {
            _gate.Release();
        }
    }

    // The rule written again as a native line with the new action, then what the old line said after '#'.
    private static string WithAction(string line, BlockRule rule, BlockAction action)
    {
        var comment = line.IndexOf(" #", StringComparison.Ordinal) is >= 0 and var at ? line[at..].TrimEnd('\r') : string.Empty;
        var window = (rule.Window.From is { } from ? $" from={RuleDates.Format(from)}" : string.Empty)
            + (rule.Window.Until is { } until ? $" until={RuleDates.Format(until)}" : string.Empty);
        var group = rule.Group is { } name ? $" group={name}" : string.Empty;
        return $"{rule.Pattern} {action}{window}{group}{comment}";
    }

    /// <summary>Temp file in the same folder, flushed, then renamed over the list (through a symbolic link, onto its target).</summary>
    private static async Task ReplaceAsync(string path, string content, CancellationToken cancellationToken)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        var folder = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
