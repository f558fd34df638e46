using System.Diagnostics.CodeAnalysis;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.Core.Policy.Time;

/// <summary>
/// The rule options of a list line: <c>from=DATE</c>, <c>until=DATE</c> and <c>group=NAME</c>, written anywhere after
/// the name. They are taken out before the action is read; every other word, <c>key=value</c> ones included, is the
/// action's (<c>throttle 800ms loss=20%</c>).
/// </summary>
internal readonly record struct RuleOptions(RuleWindow Window, string? Group, string[] Rest)
{

    public static bool TrySplit(string[] words, out RuleOptions options, [NotNullWhen(false)] out string? error)
    {
        options = new RuleOptions(RuleWindow.Always, null, words);
        error = null;

        // Nearly every line of a large list has no options; it costs one scan, not a new word list.
        if (!HasKeyValueWord(words))
        {
            return true;
        }

        DateTimeOffset? from = null, until = null;
        string? group = null;
        var rest = new List<string>(words.Length) { words[0] };
        foreach (var word in words.AsSpan(1))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? word[..equals].ToLowerInvariant() : string.Empty;
            var value = equals > 0 ? word[(equals + 1)..] : string.Empty;
            switch (key)
            {
                case "from" or "until":
                    if ((key == "from" ? from : until) is not null)
                    {
                        error = $"'{key}=' is given twice";
                        return false;
                    }

                    if (!RuleDates.TryParse(value, out var at, out var dateError))
                    {
                        error = $"{key}=: {dateError}";
                        return false;
                    }

                    if (key == "from")
                    {
                        from = at;
                    }
                    else
                    {
                        until = at;
                    }

                    break;
                case "group":
                    if (group is not null)
                    {
                        error = "'group=' is given twice";
                        return false;
                    }

                    if (!GroupDefinition.IsValidName(value))
                    {
                        error = $"group name '{value}' may hold only letters, digits, '-' and '_'";
                        return false;
                    }

                    group = value;
                    break;
                default:
                    rest.Add(word);
                    break;
            }
        }

        if (from is { } start && until is { } end && end <= start)
        {
            error = $"until={RuleDates.Format(end)} is not after from={RuleDates.Format(start)}";
            return false;
        }

        options = new RuleOptions(new RuleWindow(from, until), group, rest.Count == words.Length ? words : [.. rest]);
        error = null;
        return true;
    }

    private static bool HasKeyValueWord(string[] words)
    {
        for (var i = 1; i < words.Length; i++)
        {
            if (words[i].Contains('=', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
