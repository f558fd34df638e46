using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Adblock-style DNS rules, the syntax AdGuard Home reads: <c>||name^</c> blocks the name and every name under it,
/// <c>@@||name^</c> excepts them, a bare <c>name</c> blocks like <c>||name^</c>, and <c>$important</c> makes a rule
/// important (<see cref="BlockRule.IsImportant"/>): the rule set ranks an important block above every exception that is
/// not important, whichever list it comes from, and an important exception above it again. Comments are <c>!</c> and <c>#</c> lines and the <c>[Adblock ...]</c> header.
/// Cosmetic rules (<c>##</c>, <c>#@#</c>, ...) and URL rules (with a path) mean nothing to DNS: they are skipped and
/// counted. Rules DNS could honour but NationalDns does not (other <c>$</c> modifiers, regular expressions, <c>*</c>
/// patterns, <c>|name</c> exact matches) are bad lines, because loading them without their modifier would block
/// something else than the list says.
/// </summary>
internal sealed class AdblockParser : Utf8ListParser
{
    private const string ImportantModifier = "important";

    private readonly ListCollector _list;
    private readonly BlockAction _action;

    public AdblockParser(string displayPath, BlockAction action, RuleStore rules)
    {
        _list = new ListCollector(displayPath, rules);
        _action = action;
    }

    public override void Reject(int number, string reason) => _list.Reject(number, reason);

    public override ParsedList Finish() => _list.ToParsedList(ListFormat.Adblock);

    protected override void Read(string line, int number)
    {
        line = line.Trim();
        if (line.Length == 0 || line[0] == '!' || line.StartsWith("[Adblock", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (IsCosmetic(line))
        {
            _list.Skipped++;
            return;
        }

        if (line[0] == '#')
        {
            return;
        }

        var isException = line.StartsWith("@@", StringComparison.Ordinal);
        var rule = isException ? line.AsSpan(2) : line.AsSpan();
        var important = false;
        var dollar = rule.LastIndexOf('$');
        if (dollar >= 0)
        {
            if (!TryReadModifiers(rule[(dollar + 1)..], out important, out var modifierError))
            {
                _list.Reject(number, modifierError);
                return;
            }

            rule = rule[..dollar];
        }

        if (rule.Length > 1 && rule[0] == '/' && rule[^1] == '/')
        {
            _list.Reject(number, $"regular-expression rule '{line}' is not supported");
            return;
        }

        if (!TryReadName(rule, out var name, out var nameError))
        {
            if (nameError is null)
            {
                _list.Skipped++; // a URL rule: it names a path, which DNS never sees
            }
            else
            {
                _list.Reject(number, nameError);
            }

            return;
        }

        var isWildcard = name.StartsWith("*.", StringComparison.Ordinal);
        var bare = isWildcard ? name[2..] : name;
        if (bare.Contains('*', StringComparison.Ordinal))
        {
            _list.Reject(number, $"invalid name '{name}': '*' is only supported as a whole first label ('||*.example.com^')");
            return;
        }

        if (!DomainNames.TryNormalizeCore(bare, out var domain, out var invalid))
        {
            _list.Reject(number, $"invalid name '{name}': {invalid}");
            return;
        }

        _list.Add(new BlockRule(domain, isWildcard, isException, _action, _list.Source(number)) { IsImportant = important });
    }

    // Element hiding and scriptlets: "example.com##.ad", "##.banner", "#@#", "#?#", "#$#", "#%#".
    private static bool IsCosmetic(string line) =>
        line.Contains("##", StringComparison.Ordinal) || line.Contains("#@#", StringComparison.Ordinal) ||
        line.Contains("#?#", StringComparison.Ordinal) || line.Contains("#$#", StringComparison.Ordinal) ||
        line.Contains("#%#", StringComparison.Ordinal);

    private static bool TryReadModifiers(ReadOnlySpan<char> text, out bool important, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        important = false;
        foreach (var range in text.Split(','))
        {
            var modifier = text[range].Trim();
            if (modifier.Equals(ImportantModifier, StringComparison.OrdinalIgnoreCase))
            {
                important = true;
                continue;
            }

            error = $"modifier '${modifier}' is not supported (only $important); rule skipped";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// The host name in <c>||name^</c>, <c>||name</c>, <c>||name^|</c> or a bare <c>name</c>. False with a null error
    /// for a URL rule (it has a path or a scheme); false with an error for a form that names hosts in a way not supported.
    /// </summary>
    private static bool TryReadName(ReadOnlySpan<char> rule, out string name, out string? error)
    {
        name = string.Empty;
        error = null;
        if (rule.StartsWith("||"))
        {
            rule = rule[2..];
        }
        else if (rule.StartsWith("|"))
        {
            if (rule.IndexOfAny('/', ':') >= 0)
            {
                return false;
            }

            error = $"exact-address rule '|{rule[1..]}' is not supported; use '||name^'";
            return false;
        }

        if (rule.EndsWith("|"))
        {
            rule = rule[..^1];
        }

        if (rule.EndsWith("^"))
        {
            rule = rule[..^1];
        }

        if (rule.IndexOfAny('/', ':', '?') >= 0 || rule.IndexOf('^') >= 0)
        {
            return false;
        }

        if (rule.IsEmpty)
        {
            error = "rule names no host";
            return false;
        }

        if (rule.IndexOfAny(' ', '\t') >= 0)
        {
            error = $"'{rule}' is not an Adblock rule (hosts lines belong in a hosts or native list)";
            return false;
        }

        name = rule.ToString();
        return true;
    }
}
