using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;

namespace NationalDns.Core.Resolution.Wire;

/// <summary>
/// Reads an accepted reply into the pipeline's message model: the RCODE (extended bits from OPT included), AA, AD, RA,
/// the three sections without the upstream's OPT record, and the upstream's Extended DNS Errors (RFC 8914), which are
/// about the answer and so are passed on. The rest of the upstream's OPT describes its EDNS conversation with us.
/// The octets are kept beside (<see cref="UpstreamReply"/>): the client is sent those, not the records encoded again.
/// A reply whose records are all of the common kinds is read from its octets (<see cref="ReplyRecords"/>); any other
/// by ARSoft's parser, to the same records.
/// </summary>
internal static class ReplyDecoder
{
    public static bool TryDecode(byte[] reply, UpstreamTarget upstream, out UpstreamAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var octets = UpstreamReply.TryRead(reply, out var read) ? read : null;
        if (octets is { ExtendedErrorOptions: null, ResponseCode: >= 0 and var code } && ReplyRecords.TryRead(octets, out var sections))
        {
            // The common reply, read from its octets alone: no ARSoft message for it.
            var flags = octets.Flags;
            answer = new UpstreamAnswer(
                (ReturnCode)code,
                (flags & WireFormat.AuthoritativeBit) != 0,
                (flags & WireFormat.AuthenticDataBit) != 0,
                (flags & WireFormat.RecursionAvailableBit) != 0,
                sections.Answers,
                sections.Authorities,
                sections.Additionals)
            {
                Upstream = upstream.Name,
                Reply = octets,
            };
            return true;
        }

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
            Reply = octets,
        };
        return true;
    }

    // Most answers carry no EDNS option at all: no list for them.
    private static List<ExtendedDnsError>? ExtendedErrors(DnsMessage message) =>
        message.EDnsOptions is { Options.Count: > 0 } ? [.. ExtendedDnsError.ReadAll(message)] : null;
}
