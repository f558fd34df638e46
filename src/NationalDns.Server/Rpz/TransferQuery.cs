using System.Runtime.CompilerServices;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Server.Rpz;

/// <summary>
/// The bytes of a zone transfer request: AXFR for the zone, or IXFR with the SOA of the serial held in the authority
/// section (RFC 1995 §3; only the serial of that SOA is read, so its names are the root and its timers zero).
/// </summary>
internal static class TransferQuery
{
    public static byte[] Build(ushort id, string zone, uint? heldSerial)
    {
        var name = DomainName.Parse(zone);
        var query = new DnsMessage { TransactionID = id, IsRecursionDesired = false };
        query.Questions.Add(new DnsQuestion(name, heldSerial is null ? RecordType.Axfr : RecordType.Ixfr, RecordClass.INet));
        if (heldSerial is { } serial)
        {
            query.AuthorityRecords.Add(new SoaRecord(name, 0, DomainName.Root, DomainName.Root, serial, 0, 0, 0, 0));
        }

        return Encode(query);
    }

    /// <summary>A message as ARSoft's server writes it (the in-test primary encodes its answers this way too).</summary>
    public static byte[] Encode(DnsMessageBase message) => [.. EncodeMessage(message).ToArraySegment(false)];

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Encode")]
    private static extern DnsRawPackage EncodeMessage(DnsMessageBase message);
}
