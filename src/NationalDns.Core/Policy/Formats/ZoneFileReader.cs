using System.Diagnostics.CodeAnalysis;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Reads zone-file syntax (RFC 1035 §5) one record at a time: <c>;</c> comments, <c>$ORIGIN</c> and <c>$TTL</c>,
/// parentheses continuing a record over several lines, <c>@</c> for the origin, relative owner names (the origin is
/// appended), and a line that starts with a blank inheriting the previous owner. TTL and class are read and dropped.
/// Without <c>$ORIGIN</c> the owner of the first SOA record is the origin; before either, names are taken as written
/// (as if the origin were the root), which is what a policy zone's relative triggers mean anyway. <c>$INCLUDE</c> and escaped characters
/// (<c>\.</c>, <c>\DDD</c>) are refused: no policy zone seen in the wild needs them.
/// </summary>
internal sealed class ZoneFileReader(ListCollector list)
{
    /// <summary>
    /// The most words a record held open by '(' may gather: an SOA has 7, a policy record 3. An unclosed '(' in a large
    /// file would otherwise keep every word after it, and the memory would follow the file's bytes, not its rules.
    /// </summary>
    public const int MaxRecordWords = 1024;

    private readonly List<string> _pending = [];
    private int _pendingLine;
    private bool _pendingStartsWithOwner;
    private int _depth;
    private ZoneOwner? _previousOwner;
    private bool _sawSoa;

    /// <summary>The origin: absolute, lower case, no final dot ("" for the root); null until <c>$ORIGIN</c> or a SOA record sets it.</summary>
    public string? Origin { get; private set; }

    /// <summary>
    /// The zone's apex, which policy triggers are relative to: the owner of the SOA record, or else the first origin set.
    /// A later <c>$ORIGIN</c> only changes how the following relative names are completed.
    /// </summary>
    public string? Apex { get; private set; }

    /// <summary>Feeds one decoded line; returns a record when the line completes one.</summary>
    public ZoneRecord? Read(string line, int number)
    {
        var text = WithoutComment(line);
        var startsWithOwner = text.Length > 0 && text[0] is not (' ' or '\t');
        Span<Range> ranges = stackalloc Range[64];
        var span = text.AsSpan();
        var count = Words.Split(span, ranges);
        if (count == ranges.Length)
        {
            list.Reject(number, "too many words for one record");
            return null;
        }

        if (_depth == 0)
        {
            if (count == 0)
            {
                return null;
            }

            _pending.Clear();
            _pendingLine = number;
            _pendingStartsWithOwner = startsWithOwner;
        }

        for (var i = 0; i < count; i++)
        {
            var word = span[ranges[i]];
            foreach (var c in word)
            {
                _depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }

            var bare = word.Trim("()");
            if (!bare.IsEmpty)
            {
                _pending.Add(Common(bare) ?? bare.ToString());
            }
        }

        if (_pending.Count > MaxRecordWords)
        {
            _depth = 0;
            _pending.Clear();
            list.Reject(_pendingLine, $"record runs past {MaxRecordWords} words; is a '(' never closed?");
            return null;
        }

        if (_depth < 0)
        {
            _depth = 0;
            list.Reject(_pendingLine, "')' without '('");
            return null;
        }

        return _depth > 0 ? null : Complete();
    }

    /// <summary>Reports a record still open at the end of the file.</summary>
    public void Finish()
    {
        if (_depth > 0)
        {
            list.Reject(_pendingLine, "'(' is never closed");
        }
    }

    private ZoneRecord? Complete()
    {
        var words = _pending;
        var line = _pendingLine;
        if (words.Count == 0)
        {
            return null;
        }

        if (words[0].StartsWith('$'))
        {
            Directive(words, line);
            return null;
        }

        var index = 0;
        ZoneOwner owner;
        if (_pendingStartsWithOwner)
        {
            if (!TryOwner(words[0], out owner!, out var ownerError))
            {
                list.Reject(line, ownerError);
                return null;
            }

            index = 1;
        }
        else if (_previousOwner is null)
        {
            list.Reject(line, "record without an owner name, and no earlier record to take it from");
            return null;
        }
        else
        {
            owner = _previousOwner;
        }

        _previousOwner = owner;

        // [TTL] [class] or [class] [TTL], in either order, before the type.
        for (var skipped = 0; skipped < 2 && index < words.Count; skipped++)
        {
            if (char.IsAsciiDigit(words[index][0]) || IsClass(words[index]))
            {
                if (IsClass(words[index]) && !words[index].Equals("IN", StringComparison.OrdinalIgnoreCase))
                {
                    list.Reject(line, $"class {words[index]} is not supported (only IN)");
                    return null;
                }

                index++;
            }
        }

        if (index >= words.Count)
        {
            list.Reject(line, "record has no type");
            return null;
        }

        var type = Common(words[index].AsSpan()) ?? words[index].ToUpperInvariant();
        if (type == "SOA" && !_sawSoa)
        {
            _sawSoa = true;
            Apex = owner.Absolute;
            Origin ??= owner.Absolute;
        }

        var data = new string[words.Count - index - 1];
        words.CopyTo(index + 1, data, 0, data.Length);
        return new ZoneRecord(line, owner, type, data);
    }

    private void Directive(List<string> words, int line)
    {
        switch (words[0].ToUpperInvariant())
        {
            case "$ORIGIN" when words.Count == 2:
                if (TryAbsolute(words[1], out var origin, out var error))
                {
                    Origin = origin;
                    Apex ??= origin;
                }
                else
                {
                    list.Reject(line, error);
                }

                break;
            case "$TTL" when words.Count == 2:
                break;
            case "$ORIGIN" or "$TTL":
                list.Reject(line, $"{words[0]} takes one argument");
                break;
            case "$INCLUDE":
                list.Reject(line, "$INCLUDE is not supported: list the included file itself");
                break;
            default:
                list.Reject(line, $"unknown directive '{words[0]}'");
                break;
        }
    }

    /// <summary>An owner as written: "@" is the origin, a relative name stays relative to the current origin.</summary>
    private bool TryOwner(string name, [NotNullWhen(true)] out ZoneOwner? owner, [NotNullWhen(false)] out string? error)
    {
        owner = null;
        if (name == "@" || name.EndsWith('.') || name.Contains('\\', StringComparison.Ordinal) || string.IsNullOrEmpty(Origin))
        {
            if (!TryAbsolute(name, out var absolute, out error))
            {
                return false;
            }

            owner = new ZoneOwner(absolute, null);
            return true;
        }

        owner = new ZoneOwner(name.ToLowerInvariant(), Origin);
        error = null;
        return true;
    }

    /// <summary>An owner or origin as written, made absolute: "@" is the origin, a relative name gets the origin appended.</summary>
    private bool TryAbsolute(string name, [NotNullWhen(true)] out string? absolute, [NotNullWhen(false)] out string? error)
    {
        absolute = null;
        if (name.Contains('\\', StringComparison.Ordinal))
        {
            error = $"escaped characters in '{name}' are not supported";
            return false;
        }

        if (name == "@")
        {
            absolute = Origin ?? string.Empty;
            error = null;
            return true;
        }

        if (name == ".")
        {
            absolute = string.Empty;
            error = null;
            return true;
        }

        var isAbsolute = name.EndsWith('.');
        var lower = (isAbsolute ? name[..^1] : name).ToLowerInvariant();
        absolute = isAbsolute || string.IsNullOrEmpty(Origin) ? lower : $"{lower}.{Origin}";

        error = null;
        return true;
    }

    // The words nearly every record of a policy zone repeats, shared instead of copied a million times; types in upper case.
    private static string? Common(ReadOnlySpan<char> word) => word switch
    {
        "." => ".",
        "*." => "*.",
        "rpz-passthru." => "rpz-passthru.",
        "rpz-drop." => "rpz-drop.",
        "rpz-tcp-only." => "rpz-tcp-only.",
        "IN" or "in" => "IN",
        "CNAME" or "cname" => "CNAME",
        "A" or "a" => "A",
        "AAAA" or "aaaa" => "AAAA",
        "SOA" or "soa" => "SOA",
        "NS" or "ns" => "NS",
        _ => null,
    };

    private static bool IsClass(string word) =>
        word.Equals("IN", StringComparison.OrdinalIgnoreCase) || word.Equals("CH", StringComparison.OrdinalIgnoreCase) ||
        word.Equals("HS", StringComparison.OrdinalIgnoreCase) || word.Equals("CS", StringComparison.OrdinalIgnoreCase);

    // A ';' outside double quotes starts a comment.
    private static string WithoutComment(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == ';' && !quoted)
            {
                return line[..i];
            }
        }

        return line;
    }
}
