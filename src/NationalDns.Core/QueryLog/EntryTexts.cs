using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Policy;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// The texts a query log entry repeats from one query to the next: a client's address, a rule's action and
/// <c>file:line</c>, the query name and the answer's summary. Made once and reused, so an entry costs itself, not a
/// handful of formatted strings: answers from the cache are by definition the same names asked again, and at 100k
/// such queries a second the strings were most of the log's garbage. A rule's action is kept apart from the rule,
/// since a list's rules share it. Owned by the log's one writer thread; each table starts over when it grows past
/// <see cref="MaxEach"/>, so a scan from many addresses or names cannot make it grow without end.
/// </summary>
internal sealed class EntryTexts
{
    public const int MaxEach = 4096;

    private readonly Dictionary<UInt128, string> _clients = [];
    private readonly Dictionary<BlockRule, (string Action, string Source)> _rules = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<BlockAction, string> _actions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _namesBySpan;
    private readonly Dictionary<string, string> _summaries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _summariesBySpan;

    public EntryTexts()
    {
        _namesBySpan = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        _summariesBySpan = _summaries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Addresses kept now (at most <see cref="MaxEach"/>).</summary>
    public int ClientCount => _clients.Count;

    /// <summary>The client's address as text (an IPv4-mapped IPv6 address as IPv4) and its port, from the socket's address octets.</summary>
    public (string Address, int Port) Client(AddressFamily family, ReadOnlySpan<byte> socketAddress)
    {
        // sockaddr_in: family (2), port (2, network order), address (4). sockaddr_in6: family, port, flow info (4), address (16).
        var port = BinaryPrimitives.ReadUInt16BigEndian(socketAddress[2..]);
        var octets = family == AddressFamily.InterNetworkV6 ? socketAddress.Slice(8, 16) : socketAddress.Slice(4, 4);
        return (Address(octets), port);
    }

    /// <summary>The address as text, IPv4-mapped IPv6 addresses as IPv4.</summary>
    public string Address(IPAddress address)
    {
        Span<byte> octets = stackalloc byte[16];
        address.TryWriteBytes(octets, out var written);
        return Address(octets[..written]);
    }

    /// <summary>The query name <paramref name="text"/> as a string, the same one as last time it was asked for (letter case kept).</summary>
    public string Name(ReadOnlySpan<char> text) => Intern(_names, _namesBySpan, text);

    /// <summary>An answer's summary (<see cref="WireSummary.ReadAnswer"/>) as a string, the same one as last time.</summary>
    public string Summary(ReadOnlySpan<char> text) => Intern(_summaries, _summariesBySpan, text);

    public (string Action, string Source) Rule(BlockRule rule)
    {
        if (!_rules.TryGetValue(rule, out var texts))
        {
            Bound(_rules);
            texts = (Action(rule.Action), rule.Source.ToString());
            _rules[rule] = texts;
        }

        return texts;
    }

    // A list's rules share their action: with a million rules the rule table misses, and this one still hits.
    private string Action(BlockAction action)
    {
        if (!_actions.TryGetValue(action, out var text))
        {
            Bound(_actions);
            text = action.ToString();
            _actions[action] = text;
        }

        return text;
    }

    private string Address(ReadOnlySpan<byte> octets)
    {
        // The key keeps v4 and v6 apart: a v4 address sits in the low 32 bits with bit 127 set.
        var key = octets.Length == 4
            ? (UInt128.One << 127) | BinaryPrimitives.ReadUInt32BigEndian(octets)
            : BinaryPrimitives.ReadUInt128BigEndian(octets);
        if (!_clients.TryGetValue(key, out var text))
        {
            Bound(_clients);
            var address = new IPAddress(octets);
            text = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
            _clients[key] = text;
        }

        return text;
    }

    private static string Intern(Dictionary<string, string> table, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> text)
    {
        if (!lookup.TryGetValue(text, out var kept))
        {
            Bound(table);
            kept = text.ToString();
            table[kept] = kept;
        }

        return kept;
    }

    private static void Bound<TKey, TValue>(Dictionary<TKey, TValue> table)
        where TKey : notnull
    {
        if (table.Count >= MaxEach)
        {
            table.Clear();
        }
    }
}
