using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Reads an accepted reply into the pipeline's message model: the RCODE (extended bits from OPT included), AA, AD, RA,
/// the three sections without the upstream's OPT record, and the upstream's Extended DNS Errors (RFC 8914), which are
/// about the answer and so are passed on. The rest of the upstream's OPT describes its EDNS conversation with us.
/// The octets are kept beside (<see cref="UpstreamReply"/>): the client is sent those, not the records encoded again.
/// </summary>
internal static class ReplyDecoder
{
    public static bool TryDecode(byte[] reply, UpstreamTarget upstream, out UpstreamAnswer answer)
    {
        DnsMessage message;
        try
        {
            message = DnsMessage.Parse(reply);
        }
#pragma warning disable CA1031 // ARSoft's parser throws whatever the bytes provoke; a malformed reply is just not an answer
        catch (Exception)
#pragma warning restore CA1031
        {
            answer = null!;
            return false;
        }

        answer = new UpstreamAnswer(
            message.ReturnCode,
            message.IsAuthoritiveAnswer,
            message.IsAuthenticData,
            message.IsRecursionAllowed,
            message.AnswerRecords,
            message.AuthorityRecords,
            [.. message.AdditionalRecords.Where(r => r is not OptRecord)],
            ExtendedErrors(message))
        {
            Upstream = upstream.Name,
            Reply = UpstreamReply.TryRead(reply, out var octets) ? octets : null,
        };
        return true;
    }

    // Most answers carry no EDNS option at all: no list for them.
    private static List<ExtendedDnsError>? ExtendedErrors(DnsMessage message) =>
        message.EDnsOptions is { Options.Count: > 0 } ? [.. ExtendedDnsError.ReadAll(message)] : null;
}
