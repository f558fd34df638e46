using ARSoft.Tools.Net.Dns;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// How long an HTTP cache may keep a DNS over HTTPS answer (RFC 8484 §5.1): never longer than the smallest TTL in its
/// answer section; for an answer without records (NXDOMAIN, NODATA), the negative caching time of its SOA (RFC 2308 §5:
/// the smaller of the SOA's TTL and its minimum field). Anything else (SERVFAIL, REFUSED, no SOA) is not to be kept.
/// </summary>
internal static class DohCacheControl
{
    public static int MaxAgeSeconds(DnsMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.ReturnCode is not (ReturnCode.NoError or ReturnCode.NxDomain))
        {
            return 0;
        }

        if (response.AnswerRecords.Count > 0)
        {
            return response.AnswerRecords.Min(r => r.TimeToLive);
        }

        return response.AuthorityRecords.OfType<SoaRecord>().FirstOrDefault() is { } soa
            ? Math.Min(soa.TimeToLive, soa.NegativeCachingTTL)
            : 0;
    }

    /// <summary>The header's value for <paramref name="response"/>.</summary>
    public static string HeaderValue(DnsMessage response) => $"max-age={MaxAgeSeconds(response)}";
}
