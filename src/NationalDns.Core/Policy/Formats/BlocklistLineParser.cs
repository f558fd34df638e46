using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Policy.Store;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// Turns decoded lines of one file into rules: <c>name [action]</c>, <c>*.name [action]</c>, <c>@@name</c>,
/// and hosts-file lines (<c>0.0.0.0 name name…</c>). Collects rules and problems in line order. A native list whose
/// every rule is a hosts line is a hosts file, and <see cref="Finish"/> says so (<c>check</c> prints it).
/// </summary>
internal sealed class BlocklistLineParser(string displayPath, BlockAction defaultAction, RuleStore rules, bool hostsOnly = false) : Utf8ListParser
{
    private const string ExceptionPrefix = "@@";
    private const string WildcardPrefix = "*.";

    // Entries every stock hosts file carries; blocking them would be an accident, so they are skipped silently.
    private static readonly FrozenSet<string> HostsHousekeeping = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
        "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0");

    private readonly RuleStore _rules = rules;
    private readonly ListProblems _problems = new(displayPath);

    // The current line's trailing comment: the rule's stated basis (RuleSource.Basis).
    private string? _basis;

    /// <summary>Lines that were hosts lines (<c>ADDRESS name...</c>), and lines that were not.</summary>
    public int HostsLines { get; private set; }

    public int OtherRuleLines { get; private set; }

    protected override void Read(string line, int lineNumber)
    {
        var words = WithoutComment(line, out _basis).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return;
        }

        if (LooksLikeAddress(words[0]) && IPAddress.TryParse(words[0], out var address))
        {
            HostsLines++;
            ParseHostsLine(words, address, lineNumber);
        }
        else if (hostsOnly)
        {
            Reject(lineNumber, $"'{words[0]}' is not a hosts-file line (expected 'ADDRESS name...')");
        }
        else
        {
            OtherRuleLines++;
            ParseRuleLine(words, lineNumber);
        }
    }

    public override void Reject(int number, string reason) => _problems.Add(number, reason);

    public override ParsedList Finish() =>
        new(displayPath, _rules, _problems.ToList()) { Format = hostsOnly || (HostsLines > 0 && OtherRuleLines == 0) ? ListFormat.Hosts : ListFormat.Native };

    private void ParseRuleLine(string[] words, int lineNumber)
    {
        if (!RuleOptions.TrySplit(words, out var options, out var optionError))
        {
            Reject(lineNumber, optionError);
            return;
        }

        words = options.Rest;
        var token = words[0];
        var isException = token.StartsWith(ExceptionPrefix, StringComparison.Ordinal);
        BlockAction? action;
        if (isException)
        {
            if (words.Length > 1)
            {
                Reject(lineNumber, $"exception '{token}' takes no action, got '{words[1]}'");
                return;
            }

            // An exception never answers anything, so the action it carries is only a placeholder.
            action = defaultAction;
        }
        else if (words.Length == 1)
        {
            action = defaultAction;
        }
        else if (!BlockAction.TryParse(words[1..], out action, out var actionError))
        {
            Reject(lineNumber, actionError);
            return;
        }

        var pattern = isException ? token[ExceptionPrefix.Length..] : token;

        // Adblock's basic rule (||name^) says what a native line says, the name and every name below it, so a list that
        // mixes the two (as AdGuard Home reads them) keeps its native lines native.
        if (pattern.Length > 3 && pattern.StartsWith("||", StringComparison.Ordinal) && pattern.EndsWith('^'))
        {
            pattern = pattern[2..^1];
        }
        if (!TryParsePattern(pattern, out var domain, out var isWildcard, out var error))
        {
            Reject(lineNumber, $"invalid name '{token}': {error}");
            return;
        }

        var flags = (isWildcard ? RuleFlags.Wildcard : 0) | (isException ? RuleFlags.Exception : 0);
        _rules.Add(domain, flags, action, displayPath, lineNumber, _basis, RuleConditions.Of(options.Window, options.Group));
    }

    private void ParseHostsLine(string[] words, IPAddress address, int lineNumber)
    {
        if (words.Length == 1)
        {
            Reject(lineNumber, $"hosts line '{words[0]}' has no names");
            return;
        }

        var action = IsNullRoute(address) ? defaultAction : SinkholeTo(address);

        // One bad name does not cost its neighbours: each name on a hosts line stands alone.
        foreach (var name in words.AsSpan(1))
        {
            if (HostsHousekeeping.Contains(name.TrimEnd('.')))
            {
                continue;
            }

            if (name.StartsWith(ExceptionPrefix, StringComparison.Ordinal))
            {
                Reject(lineNumber, $"exception '{name}' is not allowed on a hosts line");
                continue;
            }

            if (!TryParsePattern(name, out var domain, out var isWildcard, out var error))
            {
                Reject(lineNumber, $"invalid name '{name}': {error}");
                continue;
            }

            _rules.Add(domain, isWildcard ? RuleFlags.Wildcard : 0, action, displayPath, lineNumber, _basis);
        }
    }

    private static bool TryParsePattern(
        string pattern,
        [NotNullWhen(true)] out string? domain,
        out bool isWildcard,
        [NotNullWhen(false)] out string? error)
    {
        isWildcard = pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal);
        var name = isWildcard ? pattern[WildcardPrefix.Length..] : pattern;
        if (name.Contains('*', StringComparison.Ordinal))
        {
            domain = null;
            error = "'*' is only allowed as a whole first label ('*.example.com')";
            return false;
        }

        return DomainNames.TryNormalizeCore(name, out domain, out error);
    }

    // A comment starts at a '#' that begins the line or follows whitespace; "a#b" is a (bad) name, not a comment.
    // The comment's text, without its '#'s, is the basis the line gives for its rule; a whole-line comment has no rule.
    private static string WithoutComment(string line, out string? basis)
    {
        basis = null;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                var text = line.AsSpan(i).TrimStart('#').Trim();
                basis = text.IsEmpty ? null : text.ToString();
                return line[..i];
            }
        }

        return line;
    }

    // IPAddress.TryParse also takes "1" or "1.2" as IPv4 shorthands; in a list those are names, not addresses.
    private static bool LooksLikeAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;

    private static bool IsNullRoute(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.Loopback) ||
        address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback);

    private static BlockAction SinkholeTo(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? new BlockAction(BlockActionKind.Sinkhole, SinkholeV4: address)
        : new BlockAction(BlockActionKind.Sinkhole, SinkholeV6: address);
}
