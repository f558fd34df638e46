using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.Server.Rpz;

/// <summary>
/// The answer to a request for the feed whose signature was not accepted: REFUSED when it was unsigned (a key is
/// required, as BIND's <c>allow-transfer { key NAME; }</c> answers), FORMERR when its TSIG RR was malformed, and NOTAUTH
/// with the TSIG error (BADKEY, BADSIG, BADTIME, BADTRUNC) when it was signed badly (RFC 8945 §5.2).
/// </summary>
internal static class TsigRefusals
{
    public static byte[] Answer(DnsMessage query, TsigCheck check, TsigSigner signer)
    {
        var code = check.Status switch
        {
            TsigStatus.NotSigned => ReturnCode.Refused,
            TsigStatus.Malformed => ReturnCode.FormatError,
            _ => ReturnCode.NotAuthoritive,
        };
        var answer = Responses.WithCode(query, code);
        return signer.SignRefusal([.. MessageEncoder.Encode(answer).ToArraySegment(false)], check);
    }
}
