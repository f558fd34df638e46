using System.Net;
using NationalDns.Core.Policy;

namespace NationalDns.Server.BlockPage;

/// <summary>One rendered page: the HTTP status, the HTML, and the rule it names (null for the generic page).</summary>
internal sealed record BlockPageResponse(int StatusCode, string Html, string Host, BlockRule? Rule);

/// <summary>
/// Renders the block page for a Host header: the domain, the rule that blocks it, where that rule is written and its legal
/// basis, every value HTML-encoded. A blocked host gets 451 Unavailable For Legal Reasons (RFC 7725); a host no rule blocks
/// gets a generic page with 200.
/// </summary>
internal static class BlockPageContent
{
    public const int UnavailableForLegalReasons = 451;

    /// <summary>
    /// The page for <paramref name="hostHeader"/> as <paramref name="client"/> sees it: its group's rules, at the rule
    /// clock's now; the rule's file named as <paramref name="sources"/> names it for clients.
    /// </summary>
    public static BlockPageResponse For(string? hostHeader, QueryPolicy policy, ClientVisibleSource sources, IPAddress? client)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(sources);
        var host = StripPort(hostHeader ?? string.Empty);
        if (DomainNames.TryNormalize(host, out var name, out _) && policy.Decide(name, client) is { Verdict: PolicyVerdict.Blocked, Rule: { } rule })
        {
            return new BlockPageResponse(UnavailableForLegalReasons, Blocked(name, rule, sources.Name(rule.Source)), name, rule);
        }

        return new BlockPageResponse(200, Generic(host), host, null);
    }

    private static string Blocked(string name, BlockRule rule, string source)
    {
        var basis = string.IsNullOrWhiteSpace(rule.Source.Basis) ? "none given in the list" : rule.Source.Basis;
        return Page(
            $"Access to {name} is restricted",
            $"""
            <p id="domain">Access to <strong>{Encode(name)}</strong> is restricted.</p>
            <p id="rule">Blocked by rule <code>{Encode(rule.Pattern)}</code> with action <code>{Encode(rule.Action.ToString())}</code>.</p>
            <p id="source">Listed at <code>{Encode(source)}</code>.</p>
            <p id="basis">Legal basis: {Encode(basis)}</p>
            """);
    }

    private static string Generic(string host) => Page(
        "Block page",
        $"""
        <p id="domain">No rule blocks <strong>{Encode(host.Length == 0 ? "(no Host header)" : host)}</strong>.</p>
        <p>This address serves the block page for names that are sinkholed here.</p>
        """);

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>{Encode(title)}</title></head>
        <body>
        <h1>{Encode(title)}</h1>
        {body}
        <p><small>NationalDns block page</small></p>
        </body>
        </html>

        """;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // "example.org:8080" → "example.org"; "[2001:db8::1]:80" stays an address literal, which no rule names.
    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.Contains(']', StringComparison.Ordinal) && host.IndexOf(':', StringComparison.Ordinal) == colon ? host[..colon] : host;
    }
}
