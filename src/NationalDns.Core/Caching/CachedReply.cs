using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Caching;

/// <summary>
/// What the cache keeps of a forwarded response: the upstream's octets without OPT, its code, AA and AD, and its CNAME
/// chain's targets. A relayed response gives its octets as they came (no encoding); one without them (the DnsClient
/// engine, an upstream that writes OPT first) is encoded once, here.
/// </summary>
internal sealed record CachedReply(UpstreamReply Octets, ReturnCode ReturnCode, bool IsAuthoritative, bool IsAuthenticData, string[] ChainTargets)
{
    /// <summary>The reply to keep for <paramref name="response"/>, or null when its records cannot be put in octets.</summary>
    public static CachedReply? From(DnsMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var octets = response is RelayedResponse { IsIntact: true } relayed ? relayed.Reply.WithoutOpt() : Encode(response);
        return octets is null
            ? null
            : new CachedReply(octets, response.ReturnCode, response.IsAuthoritiveAnswer, response.IsAuthenticData, ChainOf(response));
    }

    private static UpstreamReply? Encode(DnsMessage response)
    {
        if (response.Questions.Count != 1)
        {
            return null;
        }

        var message = new DnsMessage { IsQuery = false, ReturnCode = (ReturnCode)((ushort)response.ReturnCode & 0x0F) };
        message.Questions.Add(response.Questions[0]);
        message.AnswerRecords.AddRange(response.AnswerRecords);
        message.AuthorityRecords.AddRange(response.AuthorityRecords);
        message.AdditionalRecords.AddRange(response.AdditionalRecords.Where(r => r is not OptRecord));
        var bytes = MessageEncoder.Encode(message).ToArraySegment(false).ToArray();
        return UpstreamReply.TryRead(bytes, out var reply) ? reply : null;
    }

    // The chain as the policy's check follows it (BlocklistStage): from the question, each CNAME owned by the name so far.
    private static string[] ChainOf(DnsMessage response)
    {
        if (response.Questions.Count != 1 || !response.AnswerRecords.Any(r => r is CNameRecord))
        {
            return [];
        }

        var targets = new List<string>();
        var current = response.Questions[0].Name;
        while (targets.Count < WireFormat.MaxChainLength && CNameLinks.Next(response.AnswerRecords, current) is { } link)
        {
            current = link.CanonicalName;
            targets.Add(DomainNames.FromWire(current));
        }

        return [.. targets];
    }
}
