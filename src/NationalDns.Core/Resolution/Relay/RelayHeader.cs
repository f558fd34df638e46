using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Resolution.Relay;

/// <summary>
/// What a composed response takes from the client's side and from the answer's verdict rather than from the upstream's
/// octets: the ID, the header bits (QR, opcode, AA, RD, RA, AD, CD and the low RCODE bits; never TC, which the
/// composer sets), the whole RCODE (its upper bits go into OPT), and the OPT record's presence, payload size and DO.
/// </summary>
internal readonly record struct RelayHeader(ushort Id, ushort Flags, ushort ReturnCode, bool Edns, ushort PayloadSize, bool DnssecOk)
{
    /// <summary>The header of <paramref name="response"/>, a response the pipeline built (<see cref="Responses.For"/>).</summary>
    public static RelayHeader Of(DnsMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var flags = FlagsOf((int)response.OperationCode, response.IsAuthoritiveAnswer, response.IsRecursionDesired, response.IsRecursionAllowed, response.IsAuthenticData, response.IsCheckingDisabled, (ushort)response.ReturnCode);
        return new RelayHeader(response.TransactionID, flags, (ushort)response.ReturnCode, response.IsEDnsEnabled, response.IsEDnsEnabled ? response.EDnsOptions!.UdpPayloadSize : (ushort)0, response.IsDnsSecOk);
    }

    /// <summary>The second header word, TC clear.</summary>
    public static ushort FlagsOf(int opcode, bool authoritative, bool recursionDesired, bool recursionAvailable, bool authenticData, bool checkingDisabled, ushort returnCode) =>
        (ushort)(WireFormat.ResponseBit
            | ((opcode << 11) & WireFormat.OpcodeMask)
            | (authoritative ? WireFormat.AuthoritativeBit : 0)
            | (recursionDesired ? WireFormat.RecursionDesiredBit : 0)
            | (recursionAvailable ? WireFormat.RecursionAvailableBit : 0)
            | (authenticData ? WireFormat.AuthenticDataBit : 0)
            | (checkingDisabled ? WireFormat.CheckingDisabledBit : 0)
            | (returnCode & 0x0F));
}
