using System.Runtime.CompilerServices;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>ARSoft's own message encoder (name compression included), which ARSoft keeps internal; reached by name, and the tests pin the version's behaviour.</summary>
internal static class MessageEncoder
{
    /// <summary>The message's wire form; <c>ToArraySegment(true)</c> gives it with the TCP length prefix.</summary>
    public static DnsRawPackage Encode(DnsMessageBase message) => EncodeMessage(message);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Encode")]
    private static extern DnsRawPackage EncodeMessage(DnsMessageBase message);
}
