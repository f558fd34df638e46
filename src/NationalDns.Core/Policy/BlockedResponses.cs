using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Pipeline;

namespace NationalDns.Policy;

/// <summary>
/// Builds the answer for a blocked name, one method per action. NXDOMAIN and NODATA are authoritative and carry
/// a SOA owned by the rule's domain with TTL and minimum equal to the block TTL, so resolvers cache the refusal
/// for exactly that long (RFC 2308). Every refusal carries EDE 16 "Censored" naming the rule when the client speaks EDNS.
/// </summary>
public sealed class BlockedResponses
{
    private static readonly DomainName SoaMaster = DomainName.Parse("nationaldns.invalid");
    private static readonly DomainName SoaMailbox = DomainName.Parse("hostmaster.nationaldns.invalid");

    private readonly int _ttlSeconds;

    public BlockedResponses(BlockingOptions options)
    {
        _ttlSeconds = (int)Math.Clamp(options.BlockTtl.TotalSeconds, 0, int.MaxValue);
    }

    /// <summary>
    /// The answer to <paramref name="query"/> under <paramref name="rule"/>, or null for <c>drop</c>.
    /// <paramref name="blockedName"/> is the name the rule matched (the query name, or a CNAME target);
    /// <paramref name="chain"/> holds the CNAME records that led from the query name to it, kept in the answer as RPZ does.
    /// </summary>
    public DnsMessage? Create(DnsMessage query, BlockRule rule, DomainName blockedName, IReadOnlyList<DnsRecordBase>? chain = null)
    {
        if (rule.Action.Kind == BlockActionKind.Drop)
        {
            return null;
        }

        var response = Responses.For(query);
        if (chain is not null)
        {
            response.AnswerRecords.AddRange(chain);
        }

        var questionType = query.Questions[0].RecordType;
        switch (rule.Action.Kind)
        {
            case BlockActionKind.NxDomain:
                MakeNegative(response, rule, ReturnCode.NxDomain);
                break;
            case BlockActionKind.NoData:
                MakeNegative(response, rule, ReturnCode.NoError);
                break;
            case BlockActionKind.Refused:
                response.ReturnCode = ReturnCode.Refused;
                break;
            case BlockActionKind.ServFail:
                response.ReturnCode = ReturnCode.ServerFailure;
                break;
            case BlockActionKind.Sinkhole:
                var address = SinkholeRecord(blockedName, questionType, rule.Action);
                if (address is null)
                {
                    MakeNegative(response, rule, ReturnCode.NoError);
                }
                else
                {
                    response.ReturnCode = ReturnCode.NoError;
                    response.IsAuthoritiveAnswer = true;
                    response.AnswerRecords.Add(address);
                }

                break;
            default:
                throw new InvalidOperationException($"unhandled action {rule.Action.Kind}");
        }

        new ExtendedDnsError(ExtendedDnsError.Censored, ReasonText(rule, blockedName)).AttachTo(response);
        return response;
    }

    /// <summary>The EDE text: which rule, where it is written, and the name it matched.</summary>
    public static string ReasonText(BlockRule rule, DomainName blockedName) =>
        $"{DomainNames.FromWire(blockedName)} blocked by rule {rule.Pattern} ({rule.Source})";

    private DnsRecordBase? SinkholeRecord(DomainName name, RecordType type, BlockAction action) => type switch
    {
        RecordType.A when action.SinkholeV4 is not null => new ARecord(name, _ttlSeconds, action.SinkholeV4),
        RecordType.Aaaa when action.SinkholeV6 is not null => new AaaaRecord(name, _ttlSeconds, action.SinkholeV6),
        _ => null,
    };

    private void MakeNegative(DnsMessage response, BlockRule rule, ReturnCode code)
    {
        response.ReturnCode = code;
        response.IsAuthoritiveAnswer = true;
        var zone = DomainName.Parse(rule.Domain);
        response.AuthorityRecords.Add(new SoaRecord(zone, _ttlSeconds, SoaMaster, SoaMailbox, 1, 3600, 600, 86400, _ttlSeconds));
    }
}
