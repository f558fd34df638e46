using DnsClient;
using DnsClient.Protocol;

namespace NationalDns.UnitTests.Resolution;

/// <summary>Small builders for DnsClient records as its parser would produce them.</summary>
internal static class UpstreamRecords
{
    public static ResourceRecordInfo Info(string owner, ResourceRecordType type, int ttl = 300, QueryClass recordClass = QueryClass.IN) =>
        new(owner, type, recordClass, ttl, 0);

    public static DnsString Name(string name) => DnsString.Parse(name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>A TXT record as DnsClient builds it from the wire: escaped text plus the UTF-8 decoding of each string.</summary>
    public static TxtRecord Txt(ResourceRecordInfo info, params byte[][] strings) =>
        new(info, [.. strings.Select(Escape)], [.. strings.Select(s => System.Text.Encoding.UTF8.GetString(s))]);

    /// <summary>DnsClient's character-string escaping: <c>\"</c> for a quote, <c>\ddd</c> outside printable ASCII.</summary>
    public static string Escape(byte[] octets) =>
        string.Concat(octets.Select(o => o switch
        {
            (byte)'"' => "\\\"",
            < 0x20 or > 0x7E => $"\\{o:D3}",
            _ => ((char)o).ToString(),
        }));
}
