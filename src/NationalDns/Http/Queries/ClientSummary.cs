using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// Every client the log has seen, for <c>/api/clients</c>: its group (as of its latest query), when it was first and
/// last seen, how many queries it sent and how many of them were blocked. Fed newest first, as the log reads.
/// </summary>
internal sealed class ClientSummary
{
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);

    public void Add(QueryLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_clients.TryGetValue(entry.Client, out var client))
        {
            client = new Client(entry.Client, entry.Group, entry.Time);
            _clients.Add(entry.Client, client);
        }

        client.FirstSeen = entry.Time < client.FirstSeen ? entry.Time : client.FirstSeen;
        client.LastSeen = entry.Time > client.LastSeen ? entry.Time : client.LastSeen;
        client.Queries++;
        client.Blocked += entry.Outcome == QueryLogOutcomes.Blocked ? 1 : 0;
    }

    /// <summary>The clients, most recently seen first.</summary>
    public IEnumerable<Client> Clients => _clients.Values.OrderByDescending(c => c.LastSeen).ThenBy(c => c.Address, StringComparer.Ordinal);

    /// <summary>One client as <c>/api/clients</c> lists it.</summary>
    internal sealed class Client(string address, string? group, DateTimeOffset seen)
    {
        public string Address { get; } = address;

        public string? Group { get; } = group;

        public DateTimeOffset FirstSeen { get; set; } = seen;

        public DateTimeOffset LastSeen { get; set; } = seen;

        public int Queries { get; set; }

        public int Blocked { get; set; }
    }
}
