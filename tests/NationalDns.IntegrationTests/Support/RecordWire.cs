using System.Runtime.CompilerServices;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A record as it goes on the wire (owner, type, class, TTL and RDATA octets), so records can be compared whatever
/// class a parser chose for them: DnsClient's mapping keeps HTTPS as raw RDATA, ARSoft's parser makes an HttpsRecord.
/// </summary>
public static class RecordWire
{
    public static string Of(DnsRecordBase record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = new DnsMessage { IsQuery = false, IsEDnsEnabled = false };
        message.AnswerRecords.Add(record);
        var bytes = Encode(message).ToArraySegment(false).ToArray();
        return $"{record.Name} {record.RecordType} {record.RecordClass} {record.TimeToLive} {Convert.ToHexString(bytes.AsSpan(12))}";
    }

    /// <summary>How many octets ARSoft's encoder (the server's own) makes of <paramref name="message"/>.</summary>
    public static int SizeOf(DnsMessage message) => Encode(message).ToArraySegment(false).Count;

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Encode")]
    private static extern DnsRawPackage Encode(DnsMessageBase message);
}
