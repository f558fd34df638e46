namespace NationalDns.Server.Transport;

/// <summary>Sends an encoded answer back to a UDP client from the socket its query came in on.</summary>
public interface IUdpAnswerSender
{
    /// <summary>Sends <paramref name="answer"/> to <paramref name="client"/>; a failure is logged, never thrown.</summary>
    void SendAnswer(ReadOnlySpan<byte> answer, ClientEndPoint client);
}
