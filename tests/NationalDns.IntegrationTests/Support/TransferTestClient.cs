using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>What a zone transfer brought: every message, and their answer records in order.</summary>
internal sealed record ZoneTransferReply(IReadOnlyList<DnsMessage> Messages, IReadOnlyList<DnsRecordBase> Records)
{
    public ReturnCode ReturnCode => Messages[0].ReturnCode;

    /// <summary>The records as zone-file lines (<c>a.rpz.test. 60 IN CNAME .</c>).</summary>
    public IReadOnlyList<string> Lines => [.. Records.Select(r => r.ToString())];
}

/// <summary>
/// A secondary's side of AXFR and IXFR over TCP: sends one query and reads messages until the transfer is complete
/// (an error code, a lone SOA, or the closing SOA of an AXFR-style or incremental answer, RFC 1995 §4).
/// </summary>
internal static class TransferTestClient
{
    public static async Task<ZoneTransferReply> TransferAsync(IPEndPoint server, QueryBuilder query, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cts.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var bytes = query.Build();
        var frame = new byte[bytes.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bytes.Length);
        bytes.CopyTo(frame, 2);
        await stream.WriteAsync(frame, cts.Token);

        var messages = new List<DnsMessage>();
        var records = new List<DnsRecordBase>();
        var header = new byte[2];
        do
        {
            await stream.ReadExactlyAsync(header, cts.Token);
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await stream.ReadExactlyAsync(body, cts.Token);
            var message = DnsMessage.Parse(new ArraySegment<byte>(body));
            messages.Add(message);
            records.AddRange(message.AnswerRecords);
        }
        while (messages[^1].ReturnCode == ReturnCode.NoError && !IsComplete(records));

        return new ZoneTransferReply(messages, records);
    }

    private static bool IsComplete(List<DnsRecordBase> records)
    {
        if (records is [] or [SoaRecord])
        {
            return records.Count == 1;
        }

        if (records[0] is not SoaRecord first || records[^1] is not SoaRecord last || last.SerialNumber != first.SerialNumber)
        {
            return records[0] is not SoaRecord;
        }

        // AXFR style: SOA, records, SOA. Incremental: SOA(new), then (SOA(old) deletions SOA(next) additions) per
        // version, then SOA(new): the closing SOA makes the count of SOAs even.
        var soas = records.Count(r => r is SoaRecord);
        return records[1] is not SoaRecord || soas % 2 == 0;
    }
}
