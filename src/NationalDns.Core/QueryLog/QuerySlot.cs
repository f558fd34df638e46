using System.Net;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Core.QueryLog;

/// <summary>
/// One event in <see cref="QueryCapture"/>'s ring, filled by a serving thread and read by the log's writer. Either
/// references from the pipeline, or octets copied from the UDP fast path into buffers the slot owns for good.
/// </summary>
internal sealed class QuerySlot
{
    /// <summary>The longest query and answer kept from the fast path; longer ones are not served there anyway.</summary>
    internal const int MaxMessage = 1232;

    private readonly byte[] _query = new byte[MaxMessage];
    private readonly byte[] _answer = new byte[MaxMessage];
    private readonly byte[] _client = new byte[SocketAddress.GetMaximumAddressSize(System.Net.Sockets.AddressFamily.InterNetworkV6)];

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

    public ReadOnlySpan<byte> Query => _query.AsSpan(0, QueryLength);

    public ReadOnlySpan<byte> Answer => _answer.AsSpan(0, AnswerLength);

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
        query[..QueryLength].CopyTo(_query);
        AnswerLength = answer.Length <= MaxMessage ? answer.Length : 0;
        answer[..AnswerLength].CopyTo(_answer);
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
