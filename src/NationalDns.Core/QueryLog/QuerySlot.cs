using System.Net;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// One event in <see cref="QueryCapture"/>'s ring, filled by a serving thread and read by the log's writer. Either
/// references from the pipeline, or octets copied from the UDP fast path into a buffer the slot owns for good.
/// </summary>
internal sealed class QuerySlot
{
    /// <summary>The longest query and answer kept from the fast path; longer ones are not served there anyway.</summary>
    internal const int MaxMessage = 1232;

    /// <summary>
    /// What a slot's buffer holds at first, the query and the answer one after the other: a plain query and its answer
    /// take a few hundred octets. Two buffers of <see cref="MaxMessage"/> a slot held 10 MB in the 4,096-slot ring, all
    /// of it resident, and spread each event over five cache lines that the serving thread missed on every write.
    /// </summary>
    internal const int InitialOctets = 512;

    private readonly byte[] _client = new byte[SocketAddress.GetMaximumAddressSize(System.Net.Sockets.AddressFamily.InterNetworkV6)];

    // The query, then the answer; made longer (once, up to both maxima) by the first event that does not fit.
    private byte[] _octets = new byte[InitialOctets];

#pragma warning disable SA1401, CA1051 // the ring's sequence number, read and written with Volatile
    internal long Sequence;
#pragma warning restore SA1401, CA1051

    public QuerySlot(long position) => Sequence = position;

    public bool IsWire { get; private set; }

    public QueryContext? Context { get; private set; }

    public QueryResult? Result { get; private set; }

    public DateTimeOffset Time { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public string Outcome { get; private set; } = QueryLogOutcomes.Blocked;

    public BlockRule? Rule { get; private set; }

    public string? Group { get; private set; }

    public ReadOnlySpan<byte> Query => _octets.AsSpan(0, QueryLength);

    public ReadOnlySpan<byte> Answer => _octets.AsSpan(QueryLength, AnswerLength);

    public int QueryLength { get; private set; }

    public int AnswerLength { get; private set; }

    /// <summary>The client's socket address octets, as the socket gave them (family, port, address).</summary>
    public ReadOnlySpan<byte> ClientOctets => _client.AsSpan(0, ClientLength);

    public System.Net.Sockets.AddressFamily ClientFamily => _family;

    private int ClientLength { get; set; }

    private System.Net.Sockets.AddressFamily _family;

    public void SetPipeline(QueryContext query, QueryResult result, DateTimeOffset time, TimeSpan elapsed)
    {
        IsWire = false;
        Context = query;
        Result = result;
        Time = time;
        Elapsed = elapsed;
    }

    public void SetWire(ReadOnlySpan<byte> query, ReadOnlySpan<byte> answer, SocketAddress client, string outcome, BlockRule? rule, string? group, DateTimeOffset time, TimeSpan elapsed)
    {
        IsWire = true;
        QueryLength = Math.Min(query.Length, MaxMessage);
        AnswerLength = answer.Length <= MaxMessage ? answer.Length : 0;
        if (QueryLength + AnswerLength > _octets.Length)
        {
            _octets = new byte[2 * MaxMessage]; // at most once a slot, for the rare long message
        }

        query[..QueryLength].CopyTo(_octets);
        answer[..AnswerLength].CopyTo(_octets.AsSpan(QueryLength));
        _family = client.Family;
        ClientLength = Math.Min(client.Size, _client.Length);
        client.Buffer.Span[..ClientLength].CopyTo(_client);
        Outcome = outcome;
        Rule = rule;
        Group = group;
        Time = time;
        Elapsed = elapsed;
    }

    /// <summary>Lets go of the pipeline's objects, so the ring keeps none of them alive.</summary>
    public void Clear()
    {
        Context = null;
        Result = null;
        Rule = null;
        Group = null;
    }
}
