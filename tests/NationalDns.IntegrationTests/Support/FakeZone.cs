using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// The data <see cref="FakeUpstream"/> serves: one name per record type under <c>test.</c>, a CNAME chain into
/// <c>web.whatsapp.com</c>, and names that provoke NXDOMAIN, REFUSED, SERVFAIL or silence.
/// Tests compare what they receive with <see cref="ExpectedAnswer"/> and the other members here.
/// </summary>
public static partial class FakeZone
{
    /// <summary>Answered with NXDOMAIN and <see cref="Soa"/> in the authority section (as is every name not in the zone).</summary>
    public const string NxDomainName = "nx.test";

    /// <summary>Answered with REFUSED and no records.</summary>
    public const string RefusedName = "refused.test";

    /// <summary>Answered with SERVFAIL and no records.</summary>
    public const string ServFailName = "servfail.test";

    /// <summary>Never answered while the upstream runs, to provoke timeouts.</summary>
    public const string SilentName = "silent.test";

    /// <summary>A TXT answer of about 1.4 KB: over <see cref="FakeUpstream.UdpPayloadLimit"/>, so UDP answers are truncated.</summary>
    public const string BigName = "big.test";

    /// <summary>The start of <c>chain.test → mid.test → web.whatsapp.com</c>.</summary>
    public const string ChainName = "chain.test";

    /// <summary>The only name whose answer also carries <see cref="ApexNameServer"/> and <see cref="NameServerAddress"/>.</summary>
    public const string SectionsName = "a.test";

    public static readonly DomainName Apex = DomainName.Parse("test");

    public static readonly SoaRecord Soa = new(
        Apex, 300, DomainName.Parse("ns1.test"), DomainName.Parse("hostmaster.test"), 2024010101, 3600, 600, 86400, 300);

    /// <summary>The authority record that comes with the answer for <see cref="SectionsName"/>.</summary>
    public static readonly NsRecord ApexNameServer = new(Apex, 86400, DomainName.Parse("ns1.test"));

    /// <summary>The additional record that comes with the answer for <see cref="SectionsName"/>.</summary>
    public static readonly ARecord NameServerAddress = new(DomainName.Parse("ns1.test"), 86400, IPAddress.Parse("192.0.2.53"));

    /// <summary>The strings of the first TXT record at <c>txt.test</c>: spaces, quotes, semicolons, backslashes.</summary>
    public static IReadOnlyList<string> TxtStrings =>
        ["hello world", "semi;colon", "quote\"d \"text\"", @"back\slash \\ twice", "  leading and trailing  ", ""];

    /// <summary>Every record of the zone (answer data only; <see cref="Soa"/> and the NS/A of <c>ns1.test</c> are separate).</summary>
    public static IReadOnlyList<DnsRecordBase> Records { get; } = CreateRecords();

    /// <summary>One (name, type) per record type in the zone, for theories that walk them all.</summary>
    public static IReadOnlyList<(string Name, RecordType Type)> NamesByType =>
        [.. Records.Select(r => (Name: r.Name.ToString(false), Type: r.RecordType)).Distinct()];

    /// <summary>The zone's records with this exact owner (case-insensitive) and type.</summary>
    public static IReadOnlyList<DnsRecordBase> RecordsFor(string name, RecordType type)
    {
        var owner = DomainName.Parse(name);
        return [.. Records.Where(r => r.Name.Equals(owner) && r.RecordType == type)];
    }

    /// <summary>The answer section for a question, CNAMEs followed inside the zone as a recursive resolver returns them.</summary>
    public static IReadOnlyList<DnsRecordBase> ExpectedAnswer(string name, RecordType type)
    {
        var answer = new List<DnsRecordBase>();
        var current = DomainName.Parse(name);
        for (var hops = 0; hops < 8; hops++)
        {
            var records = RecordsFor(current.ToString(), type);
            if (records.Count > 0 || type == RecordType.CName)
            {
                answer.AddRange(records);
                break;
            }

            var alias = RecordsFor(current.ToString(), RecordType.CName).OfType<CNameRecord>().FirstOrDefault();
            if (alias is null)
            {
                break;
            }

            answer.Add(alias);
            current = alias.CanonicalName;
        }

        return answer;
    }

    /// <summary>Builds the zone's response to <paramref name="query"/>, or null for a name that must stay unanswered.</summary>
    public static DnsMessage? Respond(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var question = query.Questions[0];
        var name = question.Name.ToString(false);
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;

        if (Is(name, SilentName))
        {
            return null;
        }

        if (Is(name, RefusedName) || Is(name, ServFailName))
        {
            response.ReturnCode = Is(name, RefusedName) ? ReturnCode.Refused : ReturnCode.ServerFailure;
            return response;
        }

        response.IsAuthoritiveAnswer = true;

        // Behaves like a validating resolver: AD whenever the client asked for DNSSEC data.
        response.IsAuthenticData = query.IsDnsSecOk;

        var answer = ExpectedAnswer(name, question.RecordType);
        response.AnswerRecords.AddRange(answer);
        if (answer.Count == 0)
        {
            var exists = Records.Any(r => r.Name.Equals(question.Name));
            response.ReturnCode = exists ? ReturnCode.NoError : ReturnCode.NxDomain;
            response.AuthorityRecords.Add(Soa);
        }
        else if (Is(name, SectionsName))
        {
            response.AuthorityRecords.Add(ApexNameServer);
            response.AdditionalRecords.Add(NameServerAddress);
        }

        return response;
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
