using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>Factories for responses that are not policy decisions. Every response starts from <see cref="For"/>.</summary>
public static class Responses
{
    /// <summary>The largest UDP payload we advertise and fill (DNS Flag Day 2020): larger answers go over TCP.</summary>
    public const ushort MaxUdpPayload = 1232;

    /// <summary>
    /// A new response to <paramref name="query"/>: same ID, opcode, question (letter case kept), RD and CD echoed,
    /// RA set, and an OPT record only if the query had one (DO mirrored, payload size capped at <see cref="MaxUdpPayload"/>).
    /// </summary>
    public static DnsMessage For(DnsMessage query) => Echo(query, query.CreateResponseInstance());

    /// <summary>What <see cref="For"/> sets beyond ARSoft's response instance, for a response started another way.</summary>
    internal static T Echo<T>(DnsMessage query, T response)
        where T : DnsMessage
    {
        response.IsRecursionAllowed = true;
        response.IsCheckingDisabled = query.IsCheckingDisabled;
        if (query.IsEDnsEnabled)
        {
            var clientSize = Math.Max((ushort)512, query.EDnsOptions!.UdpPayloadSize);
            response.EDnsOptions!.UdpPayloadSize = Math.Min(clientSize, MaxUdpPayload);
            response.EDnsOptions.Version = 0;
            response.IsDnsSecOk = query.IsDnsSecOk;
        }
        else
        {
            response.IsEDnsEnabled = false;
        }

        return response;
    }

    /// <summary>SERVFAIL, with an Extended DNS Error when the client speaks EDNS.</summary>
    public static DnsMessage ServFail(DnsMessage query, ExtendedDnsError? error = null) => WithCode(query, ReturnCode.ServerFailure, error);

    /// <summary>A response that carries only a response code (FORMERR, NOTIMP, REFUSED, ...).</summary>
    public static DnsMessage WithCode(DnsMessage query, ReturnCode code, ExtendedDnsError? error = null)
    {
        var response = For(query);
        response.ReturnCode = code;
        if (error is not null)
        {
            error.AttachTo(response);
        }

        return response;
    }
}
