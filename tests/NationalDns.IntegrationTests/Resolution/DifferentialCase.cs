using System.Text;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>How a client asks: transport, EDNS (none or a UDP size), DO, CD, RD, and the name's letter case.</summary>
internal sealed record QueryVariant(bool Tcp, ushort? Edns, bool DnssecOk, bool CheckingDisabled, bool RecursionDesired, bool MixedCase)
{
    /// <summary>Every combination: UDP and TCP; no EDNS or EDNS 512, 1232, 4096, with DO off and on; CD, RD and mixed case off and on.</summary>
    public static IReadOnlyList<QueryVariant> All { get; } =
    [
        .. from tcp in new[] { false, true }
           from edns in new ushort?[] { null, 512, 1232, 4096 }
           from dnssecOk in edns is null ? new[] { false } : [false, true]
           from cd in new[] { false, true }
           from rd in new[] { true, false }
           from mixed in new[] { false, true }
           select new QueryVariant(tcp, edns, dnssecOk, cd, rd, mixed),
    ];

    /// <summary>The largest UDP answer the client takes from NationalDns: 512 without EDNS, else its size within [512, 1232].</summary>
    public int UdpLimit => Edns is { } size ? Math.Clamp((int)size, 512, 1232) : 512;

    public override string ToString() =>
        $"{(Tcp ? "tcp" : "udp")} {(Edns is { } size ? $"edns={size}" : "no-edns")}{(DnssecOk ? " +do" : "")}{(CheckingDisabled ? " +cd" : "")}{(RecursionDesired ? "" : " -rd")}";
}

/// <summary>One question asked one way; <see cref="Key"/> is what NationalDns's cache tells apart (name without case, type, DO, CD).</summary>
internal sealed record DifferentialCase(string Name, ushort Type, QueryVariant Variant, ushort Id)
{
    public string Key => $"{Name.ToLowerInvariant()}/{Type}/{Variant.DnssecOk}/{Variant.CheckingDisabled}";

    /// <summary>The name as the client writes it: with mixed case, the first label's letters alternate (<c>WwW.diff.test</c>).</summary>
    public string AskedName => Variant.MixedCase ? MixCase(Name) : Name;

    public byte[] Query() => new QueryBuilder
    {
        Id = Id,
        Name = AskedName,
        Type = Type,
        RecursionDesired = Variant.RecursionDesired,
        CheckingDisabled = Variant.CheckingDisabled,
        EdnsUdpSize = Variant.Edns,
        DnssecOk = Variant.DnssecOk,
    }.Build();

    public override string ToString() => $"{AskedName} type {Type} {Variant}";

    // Only the first label, lower case elsewhere: a client's upper-case letters in the labels a reply repeats
    // uncompressed in RDATA (a zone's own name in SRV targets, RRSIG signers) meet the 0x20 bug that
    // DifferentialTests.A_name_in_RDATA_keeps_its_letter_case_whatever_case_the_client_asked_in shows, at random.
    private static string MixCase(string name)
    {
        var mixed = new StringBuilder(name.Length);
        var upper = true;
        var inFirstLabel = true;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            inFirstLabel &= c != '.' || (i > 0 && name[i - 1] == '\\');
            mixed.Append(inFirstLabel && upper ? char.ToUpperInvariant(c) : c);
            upper ^= inFirstLabel && char.IsAsciiLetter(c);
        }

        return mixed.ToString();
    }
}
