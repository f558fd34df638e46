using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// The address an address-answering action gives an A or AAAA query, shared by <see cref="BlockedResponses"/> and the UDP
/// fast path so both answer alike. Null means NODATA.
/// </summary>
public static class AnswerAddresses
{
    /// <summary>
    /// <paramref name="name"/> is the blocked name in lower case without the trailing dot (forge picks by it);
    /// <paramref name="blockPage"/> is where a bare <c>sinkhole</c> points (null: 0.0.0.0 and ::, the null route).
    /// </summary>
    public static IPAddress? For(BlockAction action, RecordType type, ReadOnlySpan<char> name, IPAddress? blockPage)
    {
        ArgumentNullException.ThrowIfNull(action);
        var family = type switch
        {
            RecordType.A => AddressFamily.InterNetwork,
            RecordType.Aaaa => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (family == AddressFamily.Unknown)
        {
            return null;
        }

        return action.Kind switch
        {
            BlockActionKind.Sinkhole when action.SinkholeV4 is null && action.SinkholeV6 is null => BareSinkhole(family, blockPage),
            BlockActionKind.Sinkhole or BlockActionKind.Stub => family == AddressFamily.InterNetwork ? action.SinkholeV4 : action.SinkholeV6,
            BlockActionKind.Forge => ForgedAddresses.Pick(action.ForgeAddresses, name, family),
            _ => null,
        };
    }

    private static IPAddress BareSinkhole(AddressFamily family, IPAddress? blockPage) =>
        blockPage is not null && blockPage.AddressFamily == family
            ? blockPage
            : family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
}
