namespace NationalDns.Core.Policy;

/// <summary>
/// The text of EDE 16 (Censored) in a blocked answer, as <c>--ede-detail</c> asks: by default the name, the rule and its
/// file relative to the configured list path (<c>web.whatsapp.com blocked by rule whatsapp.com (national.txt:21)</c>,
/// named by <see cref="ClientVisibleSource"/>), so no client learns where the server keeps its files. <see cref="BlockedResponses"/> and the UDP fast path's writer both
/// take their text from here.
/// </summary>
public sealed class CensoredText
{
    private readonly EdeDetail _detail;
    private readonly ClientVisibleSource _source;

    public CensoredText(BlockingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _detail = options.EdeDetail;
        _source = new ClientVisibleSource(options.ListRoots);
    }

    /// <summary>Whether there is any text (false for <see cref="EdeDetail.None"/>).</summary>
    public bool HasText => _detail != EdeDetail.None;

    /// <summary>The text after the name (<c> blocked by rule x (national.txt:3)</c>), empty when there is no text.</summary>
    public string Tail(BlockRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return _detail switch
        {
            EdeDetail.Path => $" blocked by rule {rule.Pattern} ({_source.Name(rule.Source)})",
            EdeDetail.Rule => $" blocked by rule {rule.Pattern}",
            _ => string.Empty,
        };
    }

    /// <summary>The whole text for <paramref name="name"/> (normalised) blocked by <paramref name="rule"/>.</summary>
    public string For(BlockRule rule, string name) => HasText ? name + Tail(rule) : string.Empty;
}
