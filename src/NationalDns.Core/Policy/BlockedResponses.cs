using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.Policy;

/// <summary>
/// Builds the answer for a blocked name, one method per action. NXDOMAIN and NODATA are authoritative and carry
/// a SOA owned by the rule's domain with TTL and minimum equal to the block TTL, so resolvers cache the refusal
/// for exactly that long (RFC 2308). Every refusal carries EDE 16 "Censored" when the client speaks EDNS, with the text
/// <see cref="CensoredText"/> writes.
/// </summary>
public sealed class BlockedResponses
{
    private static readonly DomainName SoaMaster = DomainName.Parse("nationaldns.invalid");
    private static readonly DomainName SoaMailbox = DomainName.Parse("hostmaster.nationaldns.invalid");

    private readonly int _ttlSeconds;
    private readonly System.Net.IPAddress? _blockPage;
    private readonly CensoredText _text;

    public BlockedResponses(BlockingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ttlSeconds = (int)Math.Clamp(options.BlockTtl.TotalSeconds, 0, int.MaxValue);
        _blockPage = options.BlockPageAddress;
        _text = new CensoredText(options);
    }

    /// <summary>
    /// The answer to <paramref name="query"/> under <paramref name="rule"/>, or null for <c>drop</c>.
    /// <paramref name="blockedName"/> is the name the rule matched (the query name, or a CNAME target);
    /// <paramref name="chain"/> holds the CNAME records that led from the query name to it, kept in the answer as RPZ does.
    /// For <c>tcp-only</c> this is the UDP answer (TC=1, no records); <c>throttle</c> has no answer of its own (it forwards).
    /// </summary>
    public DnsMessage? Create(DnsMessage query, BlockRule rule, DomainName blockedName, IReadOnlyList<DnsRecordBase>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Action.Kind == BlockActionKind.Drop)
        {
            return null;
        }

        if (rule.Action.Kind == BlockActionKind.Throttle)
        {
            throw new InvalidOperationException("throttle forwards the query; it has no answer of its own");
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
            case BlockActionKind.TcpOnly:
                // As RPZ's rpz-tcp-only: an empty truncated answer; the client retries over TCP, where the name is forwarded.
                response.ReturnCode = ReturnCode.NoError;
                response.IsTruncated = true;
                break;
            case BlockActionKind.Sinkhole or BlockActionKind.Stub or BlockActionKind.Forge:
                var address = AddressRecord(blockedName, questionType, rule.Action);
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

        new ExtendedDnsError(ExtendedDnsError.Censored, _text.For(rule, DomainNames.FromWire(blockedName))).AttachTo(response);
        return response;
    }

    // Only forge picks by the name, so only forge pays for its lookup form.
    private DnsRecordBase? AddressRecord(DomainName name, RecordType type, BlockAction action) =>
        AnswerAddresses.For(action, type, action.Kind == BlockActionKind.Forge ? DomainNames.FromWire(name) : default, _blockPage) switch
        {
            null => null,
            var address when type == RecordType.A => new ARecord(name, _ttlSeconds, address),
            var address => new AaaaRecord(name, _ttlSeconds, address),
        };

    private void MakeNegative(DnsMessage response, BlockRule rule, ReturnCode code)
    {
        response.ReturnCode = code;
        response.IsAuthoritiveAnswer = true;
        var zone = DomainName.Parse(rule.Domain);
        response.AuthorityRecords.Add(new SoaRecord(zone, _ttlSeconds, SoaMaster, SoaMailbox, 1, 3600, 600, 86400, _ttlSeconds));
    }
}
