using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Packs a stream of records into as many response messages as it takes, taking the records one message at a time: a
/// transfer of a million records never holds more than one message's worth.
/// </summary>
/// <remarks>
/// A message is kept under 16 KiB although TCP allows 64 KiB: a compression pointer reaches only the first 16 KiB of a
/// message (14 bits), and ARSoft's encoder points past that in larger ones, which no parser reads back. BIND's
/// <c>transfer-message-size</c> defaults to about the same size (20480) for the same reason.
/// </remarks>
internal static class MessagePacker
{
    // What the records of one message may take, counted without name compression, so the message encodes smaller still;
    // the rest of the 16 KiB is for the header, the echoed question and an OPT record.
    internal const int Budget = (1 << 14) - 1024;

    public static IEnumerable<DnsMessage> Pack(DnsMessage query, IEnumerable<DnsRecordBase> records)
    {
        var message = NewMessage(query);
        var size = 0;
        foreach (var record in records)
        {
            var recordSize = MaxSize(record);
            if (size + recordSize > Budget && message.AnswerRecords.Count > 0)
            {
                yield return message;
                message = NewMessage(query);
                size = 0;
            }

            message.AnswerRecords.Add(record);
            size += recordSize;
        }

        yield return message;
    }

    /// <summary>An authoritative response to <paramref name="query"/> with no records yet.</summary>
    public static DnsMessage NewMessage(DnsMessage query)
    {
        var message = Responses.For(query);
        message.IsAuthoritiveAnswer = true;
        message.IsRecursionAllowed = false;
        return message;
    }

    /// <summary>The record's wire size without compression: owner, type, class, TTL, length, data.</summary>
    internal static int MaxSize(DnsRecordBase record) => NameSize(record.Name) + 10 + record switch
    {
        CNameRecord cname => NameSize(cname.CanonicalName),
        NsRecord ns => NameSize(ns.NameServer),
        SoaRecord soa => NameSize(soa.MasterName) + NameSize(soa.ResponsibleName) + 20,
        ARecord => 4,
        AaaaRecord => 16,
        TxtRecord txt => txt.TextParts.Sum(part => part.Length + 1),
        _ => 1024,
    };

    private static int NameSize(DomainName name) => name.Labels.Sum(label => label.Length + 1) + 1;
}
