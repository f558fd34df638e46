using System.Text;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Cli;

/// <summary>Writes a response roughly as dig does, for <c>explain</c>.</summary>
internal static class DigText
{
    public static string Format(DnsMessage response)
    {
        var text = new StringBuilder();
        var flags = string.Join(' ', new[] { "qr", response.IsAuthoritiveAnswer ? "aa" : null, response.IsTruncated ? "tc" : null, response.IsRecursionDesired ? "rd" : null, response.IsRecursionAllowed ? "ra" : null }.OfType<string>());
        text.Append(";; status: ").Append(DnsText.ReturnCodeName(response.ReturnCode)).Append(", flags: ").Append(flags).Append('\n');
        if (ExtendedDnsError.ReadFrom(response) is { } ede)
        {
            text.Append(";; EDE: ").Append(ede.InfoCode).Append(ede.InfoCode == ExtendedDnsError.Censored ? " (Censored)" : string.Empty).Append(": (").Append(ede.ExtraText).Append(")\n");
        }

        Section(text, "ANSWER", response.AnswerRecords);
        Section(text, "AUTHORITY", response.AuthorityRecords);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, List<DnsRecordBase> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        text.Append(";; ").Append(title).Append(" SECTION:\n");
        foreach (var record in records)
        {
            text.Append(record).Append('\n');
        }
    }
}
