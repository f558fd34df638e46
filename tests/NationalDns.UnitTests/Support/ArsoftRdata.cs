using System.Reflection;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.UnitTests.Support;

/// <summary>The RDATA octets ARSoft writes for a record, for byte-exact assertions.</summary>
/// <remarks>
/// ARSoft.Tools.Net 3.6.1 has no public way to encode a single record, so this calls its internal per-record
/// encoder (no name compression, original letter case). If an ARSoft upgrade renames it, the tests fail here loudly.
/// </remarks>
internal static class ArsoftRdata
{
    private static readonly MethodInfo EncodeRecordData =
        typeof(DnsRecordBase).GetMethod("EncodeRecordData", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("ARSoft's DnsRecordBase.EncodeRecordData was not found.");

    public static string Hex(DnsRecordBase record)
    {
        var buffer = new byte[ushort.MaxValue];
        object?[] arguments = [buffer, 0, null, false];
        EncodeRecordData.Invoke(record, arguments);
        return Convert.ToHexString(buffer, 0, (int)arguments[1]!);
    }

    public static DomainName Name(string name) => DomainName.Parse(name);
}
