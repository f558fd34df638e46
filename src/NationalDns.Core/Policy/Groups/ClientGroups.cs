using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Net;

namespace NationalDns.Core.Policy.Groups;

/// <summary>
/// The configured client groups, and which one a client falls in: the group of the longest network prefix that contains
/// the client's address (like a routing table), IPv4-mapped IPv6 clients counting as IPv4. A client in no network is in
/// no group and sees only unscoped rules. Immutable and safe to read from any thread.
/// </summary>
public sealed class ClientGroups
{
    public static readonly ClientGroups None = new([]);

    // Every network of every group, longest prefix first: the first that contains an address is the longest match.
    // A simulator has a handful of groups with a few networks each, so a scan beats a trie here.
    private readonly (IpNetwork Network, ClientGroup Group)[] _byPrefix;
    private readonly Dictionary<string, ClientGroup> _byName;

    /// <summary>Throws <see cref="ArgumentException"/> when two groups share a name or a network.</summary>
    public ClientGroups(IReadOnlyList<ClientGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = groups;
        _byName = new Dictionary<string, ClientGroup>(StringComparer.Ordinal);
        var networks = new Dictionary<IpNetwork, ClientGroup>();
        foreach (var group in groups)
        {
            if (!_byName.TryAdd(group.Name, group))
            {
                throw new ArgumentException($"group '{group.Name}' is defined twice", nameof(groups));
            }

            foreach (var network in group.Networks)
            {
                if (networks.TryGetValue(network, out var other) && other != group)
                {
                    throw new ArgumentException($"network {network} is in both group '{other.Name}' and group '{group.Name}'", nameof(groups));
                }

                networks[network] = group;
            }
        }

        _byPrefix = [.. networks.Select(n => (n.Key, n.Value)).OrderByDescending(n => n.Key.Length)];
    }

    public IReadOnlyList<ClientGroup> Groups { get; }

    public bool IsEmpty => Groups.Count == 0;

    /// <summary>The defined names, for error messages (<c>a, b</c>, or <c>none</c>).</summary>
    public string DefinedNames => IsEmpty ? "none" : string.Join(", ", Groups.Select(g => g.Name).Order(StringComparer.Ordinal));

    public ClientGroup? Named(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The group <paramref name="client"/> falls in, or null.</summary>
    public ClientGroup? Find(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (IsEmpty)
        {
            return null;
        }

        var isV6 = client.AddressFamily == AddressFamily.InterNetworkV6 && !client.IsIPv4MappedToIPv6;
        return Find(isV6, IpNetwork.Number(client));
    }

    /// <summary>The same as <see cref="Find(IPAddress)"/> for a raw socket address, without allocating.</summary>
    public ClientGroup? Find(SocketAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (IsEmpty)
        {
            return null;
        }

        Span<byte> address = stackalloc byte[16];
        if (!ClientAddress.TryRead(client, address))
        {
            return null;
        }

        return ClientAddress.IsIPv4(address)
            ? Find(isV6: false, BinaryPrimitives.ReadUInt32BigEndian(address[12..]))
            : Find(isV6: true, BinaryPrimitives.ReadUInt128BigEndian(address));
    }

    private ClientGroup? Find(bool isV6, UInt128 address)
    {
        foreach (var (network, group) in _byPrefix)
        {
            if (network.Contains(isV6, address))
            {
                return group;
            }
        }

        return null;
    }
}
