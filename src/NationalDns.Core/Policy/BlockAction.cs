using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace NationalDns.Policy;

/// <summary>An action with its arguments, as written in a list or in <c>--action</c>: <c>nxdomain</c>, <c>sinkhole 192.0.2.1 2001:db8::1</c>.</summary>
public sealed record BlockAction(BlockActionKind Kind, IPAddress? SinkholeV4 = null, IPAddress? SinkholeV6 = null)
{
    public static readonly BlockAction NxDomain = new(BlockActionKind.NxDomain);
    public static readonly BlockAction NoData = new(BlockActionKind.NoData);
    public static readonly BlockAction Refused = new(BlockActionKind.Refused);
    public static readonly BlockAction ServFail = new(BlockActionKind.ServFail);
    public static readonly BlockAction Drop = new(BlockActionKind.Drop);
    public static readonly BlockAction TcpOnly = new(BlockActionKind.TcpOnly);

    /// <summary>The keywords a list line may use, for error messages.</summary>
    public const string Keywords = "nxdomain, nodata, refused, servfail, sinkhole, drop";

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

        if (keyword != "sinkhole")
        {
            error = $"unknown action '{words[0]}' (expected one of: {Keywords})";
            return false;
        }

        return TryParseSinkhole(words, out action, out error);
    }

    /// <summary>Parses an action written as one string, as <c>--action</c> takes it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error) =>
        TryParse(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), out action, out error);

    private static bool TryParseSinkhole(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        if (words.Count < 2 || words.Count > 3)
        {
            error = "sinkhole takes one IPv4 and/or one IPv6 address";
            return false;
        }

        IPAddress? v4 = null, v6 = null;
        for (var i = 1; i < words.Count; i++)
        {
            if (!IPAddress.TryParse(words[i], out var address) || !LooksLikeAddress(words[i]))
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

    // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthands; a list author never means those.
    private static bool LooksLikeAddress(string text) => text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;

    /// <summary>The canonical text, as a list would write it.</summary>
    public override string ToString() => Kind switch
    {
        BlockActionKind.Sinkhole => string.Join(' ', new[] { "sinkhole", SinkholeV4?.ToString(), SinkholeV6?.ToString() }.Where(s => s is not null)),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
