namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// One configured list path and the format forced on it, if any. Written <c>rpz:lists/policy.zone</c> on the command line
/// and in <c>NATIONALDNS_BLOCKLIST</c>; a path without a known format prefix is recognised by content.
/// </summary>
/// <param name="Path">The file or folder, as configured.</param>
/// <param name="Format">The forced format, or null to recognise each file by its content.</param>
public sealed record ListSource(string Path, ListFormat? Format = null)
{
    /// <summary>
    /// Splits <c>FORMAT:PATH</c>. Only a known format name counts as a prefix, so <c>lists/a:b.txt</c> stays a path;
    /// a file whose name really starts with <c>rpz:</c> is written <c>./rpz:name</c>.
    /// </summary>
    public static ListSource Parse(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var colon = configured.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && ListFormats.TryParse(configured.AsSpan(0, colon), out var format))
        {
            return new ListSource(configured[(colon + 1)..], format);
        }

        return new ListSource(configured);
    }

    /// <summary>The configured form: <c>rpz:lists/policy.zone</c>, or the bare path.</summary>
    public override string ToString() => Format is { } format ? $"{ListFormats.Name(format)}:{Path}" : Path;
}
