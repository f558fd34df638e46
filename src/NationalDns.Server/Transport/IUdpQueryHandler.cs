namespace NationalDns.Server.Transport;

/// <summary>
/// Answers the datagrams the UDP fast path leaves, straight from the receive thread: the work up to the first wait
/// (parse, policy, cache, sending upstream) runs inline, and the answer is sent from wherever the work finishes.
/// </summary>
public interface IUdpQueryHandler
{
    /// <summary>
    /// Handles one datagram from <paramref name="client"/>, answering through <paramref name="sender"/>; must not throw and
    /// must not block.
    /// </summary>
    void Handle(IUdpAnswerSender sender, byte[] datagram, ClientEndPoint client);
}
