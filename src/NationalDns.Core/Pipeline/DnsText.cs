using System.Collections.Frozen;
using System.Globalization;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>How names and types are written in logs and command output: as dig writes them.</summary>
public static class DnsText
{
    // Every mnemonic written once: the fast path's refusal log and the query log name a type per query.
    private static readonly FrozenDictionary<RecordType, string> s_typeNames =
        Enum.GetValues<RecordType>().Distinct().ToFrozenDictionary(type => type, type => type.ToString().ToUpperInvariant());

    private static readonly FrozenDictionary<string, RecordType> s_typesByName =
        s_typeNames.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The type mnemonic (<c>A</c>, <c>AAAA</c>, <c>HTTPS</c>), or <c>TYPE65280</c> for types without one (RFC 3597).</summary>
    public static string TypeName(RecordType type) =>
        s_typeNames.TryGetValue(type, out var name) ? name : $"TYPE{(ushort)type}";

    /// <summary>
    /// Reads a type as a person writes it: a mnemonic in any case (<c>aaaa</c>), <c>TYPE65280</c> (RFC 3597) or the bare
    /// number; false for anything else.
    /// </summary>
    public static bool TryParseType(string text, out RecordType type)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var digits = trimmed.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) ? trimmed.AsSpan(4) : trimmed.AsSpan();
        if (ushort.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            type = (RecordType)number;
            return true;
        }

        return s_typesByName.TryGetValue(trimmed, out type);
    }

    /// <summary>The name as the client wrote it, without the trailing dot.</summary>
    public static string Name(DomainName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToString(false);
    }

    /// <summary>The RCODE as dig writes it (<c>NOERROR</c>, <c>NXDOMAIN</c>, <c>SERVFAIL</c>), or <c>RCODE23</c> for codes without a name.</summary>
    public static string ReturnCodeName(ReturnCode code) => code switch
    {
        ReturnCode.NoError => "NOERROR",
        ReturnCode.FormatError => "FORMERR",
        ReturnCode.ServerFailure => "SERVFAIL",
        ReturnCode.NxDomain => "NXDOMAIN",
        ReturnCode.NotImplemented => "NOTIMP",
        ReturnCode.Refused => "REFUSED",
        ReturnCode.NotAuthoritive => "NOTAUTH",
        ReturnCode.BadVersion => "BADVERS",
        _ => $"RCODE{(ushort)code}",
    };
}
