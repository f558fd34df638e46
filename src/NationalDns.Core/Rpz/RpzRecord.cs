using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Rpz;

/// <summary>
/// One record of the published policy zone, relative to the zone's origin: a trigger (<see cref="Name"/>, or <c>*.</c> +
/// <see cref="Name"/> when <see cref="IsWildcard"/>) with its policy (a CNAME target, or A/AAAA local data), or a TXT note
/// at the apex (empty <see cref="Name"/>). Values compare by content, which is all a zone diff needs; text keeps them small
/// (the CNAME targets are shared constants) so a million-rule zone costs one struct per record.
/// </summary>
/// <param name="Name">The trigger's domain, lower case without the trailing dot; empty for the apex.</param>
/// <param name="IsWildcard">Whether the owner is <c>*.</c><see cref="Name"/>: the names below it.</param>
/// <param name="Type">CNAME, A, AAAA or TXT.</param>
/// <param name="Data">The CNAME target (<c>.</c>, <c>*.</c>, <c>rpz-passthru.</c>...), the address, or the note's text.</param>
public readonly record struct RpzRecord(string Name, bool IsWildcard, RecordType Type, string Data)
{
    /// <summary>A note at the zone's apex: how the feed departs from the lists it publishes.</summary>
    public static RpzRecord Note(string text) => new(string.Empty, false, RecordType.Txt, text);

    public bool IsApex => Name.Length == 0;

    /// <summary>As a zone file writes it, relative to the origin (<c>*.example.com CNAME .</c>).</summary>
    public override string ToString() =>
        $"{(IsApex ? "@" : (IsWildcard ? "*." : string.Empty) + Name)} {Type.ToString().ToUpperInvariant()} {(Type == RecordType.Txt ? "\"" + Data + "\"" : Data)}";
}
