using System.Buffers.Binary;
using System.Text;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// An Extended DNS Error (RFC 8914): EDNS option 15 carrying a 16-bit info code and UTF-8 text.
/// ARSoft.Tools.Net 3.6.1 has no class for it, so it is written as a raw option.
/// </summary>
public sealed record ExtendedDnsError(ushort InfoCode, string ExtraText)
{
    /// <summary>The EDNS option code assigned to EDE.</summary>
    public const ushort OptionCode = 15;

    /// <summary>Info code 16, "Censored": the answer was changed by a policy of the operator's jurisdiction.</summary>
    public const ushort Censored = 16;

    /// <summary>Info code 22, "No Reachable Authority": no upstream answered.</summary>
    public const ushort NoReachableAuthority = 22;

    /// <summary>Adds the option to the response's OPT record; does nothing when the response has no EDNS (the client did not ask for it).</summary>
    public void AttachTo(DnsMessage response)
    {
        if (!response.IsEDnsEnabled)
        {
            return;
        }

        var text = Encoding.UTF8.GetBytes(ExtraText);
        var data = new byte[2 + text.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, InfoCode);
        text.CopyTo(data, 2);
        response.EDnsOptions!.Options.Add(new UnknownOption((EDnsOptionType)OptionCode, data));
    }

    /// <summary>Reads the first EDE option of a message, if any (used by <c>explain</c> and tests).</summary>
    public static ExtendedDnsError? ReadFrom(DnsMessage message) => ReadAll(message).FirstOrDefault();

    /// <summary>Every EDE option of a message, in order (an upstream may send several; the forwarder passes them all on).</summary>
    public static IEnumerable<ExtendedDnsError> ReadAll(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var option in message.EDnsOptions?.Options ?? [])
        {
            if (option is UnknownOption { Data: { Length: >= 2 } data } && (ushort)option.Type == OptionCode)
            {
                yield return new ExtendedDnsError(BinaryPrimitives.ReadUInt16BigEndian(data), Encoding.UTF8.GetString(data, 2, data.Length - 2));
            }
        }
    }
}
