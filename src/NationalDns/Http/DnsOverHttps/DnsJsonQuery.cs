using System.Diagnostics.CodeAnalysis;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.AspNetCore.Http;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// The query of the JSON form (<c>?name=&amp;type=&amp;do=&amp;cd=</c>, as Google's <c>/resolve</c> and Cloudflare's
/// <c>/dns-query</c> take it) made into the DNS message a client would have sent: ID 0, RD set, EDNS on (so an
/// Extended DNS Error can come back), DO and CD as asked. Of a parameter given twice the first counts, as at Google.
/// </summary>
internal static class DnsJsonQuery
{
    /// <summary>The query, or false with a one-line reason for the 400 answer.</summary>
    public static bool TryRead(IQueryCollection parameters, [NotNullWhen(true)] out DnsMessage? query, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = null;
        if (!TryName(First(parameters, "name"), out var name, out error)
            || !TryType(First(parameters, "type"), out var type, out error)
            || !TryFlag(parameters, "do", out var dnssecOk, out error)
            || !TryFlag(parameters, "cd", out var checkingDisabled, out error))
        {
            return false;
        }

        query = new DnsMessage { TransactionID = 0, IsQuery = true, IsRecursionDesired = true, IsCheckingDisabled = checkingDisabled, IsEDnsEnabled = true, IsDnsSecOk = dnssecOk };
        query.Questions.Add(new DnsQuestion(name, type, RecordClass.INet));
        return true;
    }

    private static string? First(IQueryCollection parameters, string key) =>
        parameters.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    private static bool TryName(string? text, [NotNullWhen(true)] out DomainName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "missing name parameter";
            return false;
        }

        // Unicode is made punycode as a list line's is; ASCII is kept as typed, RFC 4343 escapes and case included.
        var ascii = text;
        if (!System.Text.Ascii.IsValid(text) && !DomainNames.TryNormalize(text, out ascii, out error))
        {
            return false;
        }

        if (!DomainName.TryParse(ascii!, out var parsed) || parsed is null || parsed.Labels.Any(l => l.Length is 0 or > DomainNames.MaxLabelLength)
            || parsed.Labels.Sum(l => l.Length + 1) + 1 > 255)
        {
            error = $"invalid name '{text}': empty label, label over {DomainNames.MaxLabelLength} octets or name over 255 octets";
            return false;
        }

        name = parsed;
        error = null;
        return true;
    }

    private static bool TryType(string? text, out RecordType type, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(text))
        {
            type = RecordType.A;
            error = null;
            return true;
        }

        if (DnsText.TryParseType(text, out type) && type != 0)
        {
            error = null;
            return true;
        }

        error = $"invalid type '{text}': a mnemonic (A, AAAA, HTTPS, ...) or a number from 1 to 65535";
        return false;
    }

    private static bool TryFlag(IQueryCollection parameters, string key, out bool value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (First(parameters, key)?.ToLowerInvariant())
        {
            case null or "" or "0" or "false":
                value = false;
                return true;
            case "1" or "true":
                value = true;
                return true;
            default:
                value = false;
                error = $"invalid {key} flag '{First(parameters, key)}': empty or one of 0, false, 1, true";
                return false;
        }
    }
}
