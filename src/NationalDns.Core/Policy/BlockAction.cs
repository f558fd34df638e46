using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.Policy;

/// <summary>
/// An action with its arguments, as written in a list or in <c>--action</c>: <c>nxdomain</c>, <c>sinkhole 192.0.2.1 2001:db8::1</c>,
/// <c>throttle 800ms loss=28%</c>, <c>forge 198.51.100.7</c>, <c>stub ertelecom</c>. <see cref="SinkholeV4"/> and
/// <see cref="SinkholeV6"/> are the addresses A and AAAA get for <c>sinkhole</c> and <c>stub</c> (the profile's).
/// </summary>
public sealed record BlockAction(BlockActionKind Kind, IPAddress? SinkholeV4 = null, IPAddress? SinkholeV6 = null)
{
    public static readonly BlockAction NxDomain = new(BlockActionKind.NxDomain);
    public static readonly BlockAction NoData = new(BlockActionKind.NoData);
    public static readonly BlockAction Refused = new(BlockActionKind.Refused);
    public static readonly BlockAction ServFail = new(BlockActionKind.ServFail);
    public static readonly BlockAction Drop = new(BlockActionKind.Drop);
    public static readonly BlockAction TcpOnly = new(BlockActionKind.TcpOnly);

    /// <summary>The keywords a list line may use, for error messages.</summary>
    public const string Keywords = "nxdomain, nodata, refused, servfail, sinkhole, drop, tcp-only, throttle, forge, stub";

    /// <summary>For <c>throttle</c>: the delay, jitter and loss.</summary>
    public ThrottleSettings? Throttle { get; init; }

    /// <summary>For <c>forge</c>: the addresses to pick from; empty means a bogon.</summary>
    public IReadOnlyList<IPAddress> ForgeAddresses { get; init; } = [];

    /// <summary>For <c>stub</c>: the operator profile whose addresses are in <see cref="SinkholeV4"/>/<see cref="SinkholeV6"/>.</summary>
    public StubProfile? Stub { get; init; }

    /// <summary>Parses whitespace-separated action words (<c>["sinkhole", "192.0.2.1"]</c>).</summary>
    public static bool TryParse(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        if (words.Count == 0)
        {
            error = "missing action";
            return false;
        }

        var keyword = words[0].ToLowerInvariant();
        var simple = keyword switch
        {
            "nxdomain" => NxDomain,
            "nodata" => NoData,
            "refused" => Refused,
            "servfail" => ServFail,
            "drop" => Drop,
            "tcp-only" => TcpOnly,
            _ => null,
        };
        if (simple is not null)
        {
            if (words.Count > 1)
            {
                error = $"action '{keyword}' takes no arguments, got '{words[1]}'";
                return false;
            }

            action = simple;
            error = null;
            return true;
        }

        switch (keyword)
        {
            case "sinkhole":
                return TryParseSinkhole(words, out action, out error);
            case "throttle":
                return BehaviourParser.TryParseThrottle(words, out action, out error);
            case "forge":
                return BehaviourParser.TryParseForge(words, out action, out error);
            case "stub":
                return BehaviourParser.TryParseStub(words, out action, out error);
            default:
                error = $"unknown action '{words[0]}' (expected one of: {Keywords})";
                return false;
        }
    }

    /// <summary>Parses an action written as one string, as <c>--action</c> takes it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error) =>
        TryParse(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), out action, out error);

    private static bool TryParseSinkhole(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        if (words.Count > 3)
        {
            error = "sinkhole takes one IPv4 and/or one IPv6 address";
            return false;
        }

        // A bare "sinkhole" points at the block page (--blockpage), or at 0.0.0.0 / :: without one (AnswerAddresses).
        IPAddress? v4 = null, v6 = null;
        for (var i = 1; i < words.Count; i++)
        {
            if (!TryParseAddress(words[i], out var address))
            {
                error = $"bad sinkhole address '{words[i]}'";
                return false;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork && v4 is null)
            {
                v4 = address;
            }
            else if (address.AddressFamily == AddressFamily.InterNetworkV6 && v6 is null)
            {
                v6 = address;
            }
            else
            {
                error = $"sinkhole takes at most one address per family, got a second '{words[i]}'";
                return false;
            }
        }

        action = new BlockAction(BlockActionKind.Sinkhole, v4, v6);
        error = null;
        return true;
    }

    /// <summary>An IPv4 or IPv6 address as a list writes it.</summary>
    internal static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address) =>
        IPAddress.TryParse(text, out address) && LooksLikeAddress(text);

    // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthands; a list author never means those.
    private static bool LooksLikeAddress(string text) => text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;

    /// <summary>The canonical text, as a list would write it.</summary>
    public override string ToString() => Kind switch
    {
        BlockActionKind.Sinkhole => string.Join(' ', new[] { "sinkhole", SinkholeV4?.ToString(), SinkholeV6?.ToString() }.Where(s => s is not null)),
        BlockActionKind.TcpOnly => "tcp-only",
        BlockActionKind.Throttle => Throttle?.ToString() ?? "throttle",
        BlockActionKind.Forge => string.Join(' ', ForgeAddresses.Select(a => a.ToString()).Prepend("forge")),
        BlockActionKind.Stub => "stub " + Stub?.Name,
        _ => Kind.ToString().ToLowerInvariant(),
    };

    // Value equality over the address list too: the reload diff keys rules by their action.
    public bool Equals(BlockAction? other) =>
        other is not null
        && Kind == other.Kind
        && Equals(SinkholeV4, other.SinkholeV4)
        && Equals(SinkholeV6, other.SinkholeV6)
        && Throttle == other.Throttle
        && Stub == other.Stub
        && ForgeAddresses.SequenceEqual(other.ForgeAddresses);

    public override int GetHashCode() => HashCode.Combine(Kind, SinkholeV4, SinkholeV6, Throttle, Stub, ForgeAddresses.Count);
}
