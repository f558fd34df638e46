using System.Text.Encodings.Web;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// A response in the JSON form Google and Cloudflare serve (<c>application/dns-json</c>): <c>Status</c> (the RCODE),
/// the flags <c>TC RD RA AD CD</c>, <c>Question</c>, then <c>Answer</c>, <c>Authority</c> and <c>Additional</c> when
/// they hold records (the OPT record is not one), each record as <c>name type TTL data</c> with <c>data</c> in
/// presentation format, and <c>Comment</c> listing the Extended DNS Errors (<c>EDE(code): Purpose: extra text</c>).
/// </summary>
internal static class DnsJsonAnswer
{
    public const string MediaType = "application/dns-json";

    // Not HTML: '+' in base64 data and non-ASCII text stay as they are instead of \u escapes.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Encode(DnsMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteNumber("Status", (int)response.ReturnCode);
            json.WriteBoolean("TC", response.IsTruncated);
            json.WriteBoolean("RD", response.IsRecursionDesired);
            json.WriteBoolean("RA", response.IsRecursionAllowed);
            json.WriteBoolean("AD", response.IsAuthenticData);
            json.WriteBoolean("CD", response.IsCheckingDisabled);
            json.WriteStartArray("Question");
            foreach (var question in response.Questions)
            {
                json.WriteStartObject();
                json.WriteString("name", question.Name.ToString(true));
                json.WriteNumber("type", (ushort)question.RecordType);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Section(json, "Answer", response.AnswerRecords);
            Section(json, "Authority", response.AuthorityRecords);
            Section(json, "Additional", response.AdditionalRecords.Where(r => r.RecordType != RecordType.Opt).ToList());
            var errors = ExtendedDnsError.ReadAll(response).ToList();
            if (errors.Count > 0)
            {
                json.WriteStartArray("Comment");
                foreach (var error in errors)
                {
                    json.WriteStringValue(Comment(error));
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The one-line body of a 400 answer, as Cloudflare writes it: <c>{"error":"..."}</c>.</summary>
    public static byte[] Error(string reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("error", reason);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary><c>EDE(16): Censored: web.whatsapp.com blocked by rule whatsapp.com</c>; the purpose only for codes NationalDns sends.</summary>
    private static string Comment(ExtendedDnsError error)
    {
        var purpose = error.InfoCode switch
        {
            ExtendedDnsError.Censored => ": Censored",
            ExtendedDnsError.NoReachableAuthority => ": No Reachable Authority",
            _ => string.Empty,
        };
        return error.ExtraText.Length == 0 ? $"EDE({error.InfoCode}){purpose}" : $"EDE({error.InfoCode}){purpose}: {error.ExtraText}";
    }

    private static void Section(Utf8JsonWriter json, string title, List<DnsRecordBase> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        json.WriteStartArray(title);
        foreach (var record in records)
        {
            json.WriteStartObject();
            json.WriteString("name", record.Name.ToString(true));
            json.WriteNumber("type", (ushort)record.RecordType);
            json.WriteNumber("TTL", record.TimeToLive);
            json.WriteString("data", Data(record));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    // ARSoft writes a record as "NAME TTL CLASS TYPE RDATA" with the name escaped (no blank in it); the rest is the data.
    private static string Data(DnsRecordBase record) => record.ToString().Split(' ', 5) is [_, _, _, _, var data] ? data : string.Empty;
}
