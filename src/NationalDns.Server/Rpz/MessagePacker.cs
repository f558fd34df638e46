using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Packs a stream of records into as many response messages as it takes, each within a TCP message's 64 KiB, taking the
/// records one message at a time: a transfer of a million records never holds more than one message's worth.
/// </summary>
internal static class MessagePacker
{
    // Room left for the header, the echoed question and an OPT record. Sizes are counted without name compression, so a
    // message filled to this budget encodes smaller still.
    internal const int Budget = ushort.MaxValue - 1024;

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
