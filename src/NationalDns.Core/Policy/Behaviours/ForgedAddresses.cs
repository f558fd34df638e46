using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// What <c>forge</c> answers. Without a list: a bogon, 10.10.34.35 (an address Iran's DNS injection returned, recorded by
/// OONI's blocking fingerprints as <c>ooni.ir_5</c>) and fd00::10:10:34:35 (its twin in unique-local space). With a list:
/// one of its addresses of the asked family, picked by a hash of the name, so a name always gets the same address on every
/// run and machine, while different names spread over the list the way injected answers do.
/// </summary>
public static class ForgedAddresses
{
    public static readonly IPAddress BogonV4 = IPAddress.Parse("10.10.34.35");
    public static readonly IPAddress BogonV6 = IPAddress.Parse("fd00::10:10:34:35");

    /// <summary>
    /// The address for <paramref name="name"/> (lower case, no trailing dot) of <paramref name="family"/>, or null when the list
    /// has none of that family (the query then gets NODATA).
    /// </summary>
    public static IPAddress? Pick(IReadOnlyList<IPAddress> addresses, ReadOnlySpan<char> name, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            return family == AddressFamily.InterNetwork ? BogonV4 : BogonV6;
        }

        var count = 0;
        foreach (var address in addresses)
        {
            count += address.AddressFamily == family ? 1 : 0;
        }

        if (count == 0)
        {
            return null;
        }

        var index = (int)(NameHash.Of(name) % (ulong)count);
        foreach (var address in addresses)
        {
            if (address.AddressFamily == family && index-- == 0)
            {
                return address;
            }
        }

        return null;
    }
}
