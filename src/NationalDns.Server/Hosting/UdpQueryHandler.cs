using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.QueryLog;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Hosting;

/// <summary>
/// The full path for UDP queries, without ARSoft's server loop: the receive thread parses the datagram and runs the
/// pipeline until its first wait (an upstream round trip, usually), and whichever thread finishes encodes and sends
/// the answer. ARSoft's loop costs two thread-pool hops per datagram before the pipeline even starts.
/// </summary>
/// <remarks>
/// An answer larger than the client can take (512 bytes, or its EDNS size capped at
/// <see cref="Responses.MaxUdpPayload"/>) first loses its additional records, which needs no TC; if it still does not
/// fit it goes out with TC=1 and no records but OPT, so the client asks again over TCP rather than use part of an
/// RRset (RFC 2181 §9). If even that is too big, the answer echoes a query crafted to be echoed (several long
/// questions, large EDNS options), and it loses its question and EDNS options too: no UDP answer exceeds the limit.
/// A forwarded answer is composed from the upstream's octets by <see cref="RelayComposer"/>, which cuts by the same steps.
/// </remarks>
public sealed partial class UdpQueryHandler : IUdpQueryHandler
{
    private const int PlainUdpLimit = 512;

    private readonly QueryDispatcher _dispatcher;
    private readonly ILogger<UdpQueryHandler> _logger;
    private readonly QueryCapture _capture;
    private readonly TimeProvider _time;

    public UdpQueryHandler(QueryDispatcher dispatcher, ILogger<UdpQueryHandler> logger, QueryCapture? capture = null, TimeProvider? time = null)
    {
        _dispatcher = dispatcher;
        _logger = logger;
        _capture = capture ?? QueryCapture.Off;
        _time = time ?? TimeProvider.System;
    }

    public void Handle(IUdpAnswerSender sender, byte[] datagram, ClientEndPoint client)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var received = _time.GetTimestamp();
        DnsMessage message;
        try
        {
            message = DnsMessage.Parse(datagram);
        }
#pragma warning disable CA1031 // Whatever the parser throws on hostile input means one thing: nothing to answer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Malformed(_logger, client, datagram.Length, e.Message);

            // Whoever is watching a device wants to see it send something the server could not read, too.
            _capture.RecordWire(datagram, [], client.Serialize(), QueryLogOutcomes.Malformed, rule: null, group: null, received);
            return;
        }

        var answer = _dispatcher.AnswerAsync(message, client, TransportProtocol.Udp);
        if (answer.IsCompletedSuccessfully)
        {
            Send(sender, message, answer.Result, client);
        }
        else
        {
            SendWhenDone(sender, message, answer, client);
        }
    }

    /// <summary>The answer's bytes, fitted to what the client can take over UDP.</summary>
    internal static ArraySegment<byte> Encode(DnsMessage query, DnsMessage response)
    {
        // The client's size, never above ours, whatever size the response itself advertises.
        var limit = query.IsEDnsEnabled && response.IsEDnsEnabled
            ? Math.Clamp((int)query.EDnsOptions!.UdpPayloadSize, PlainUdpLimit, Responses.MaxUdpPayload)
            : PlainUdpLimit;
        if (RelayComposer.TryCompose(response, limit) is { } relayed)
        {
            return relayed;
        }

        var bytes = MessageEncoder.Encode(response).ToArraySegment(false);
        if (bytes.Count <= limit)
        {
            return bytes;
        }

        if (response.AdditionalRecords.RemoveAll(r => r is not OptRecord) > 0)
        {
            bytes = MessageEncoder.Encode(response).ToArraySegment(false);
            if (bytes.Count <= limit)
            {
                return bytes;
            }
        }

        response.AnswerRecords.Clear();
        response.AuthorityRecords.Clear();
        response.IsTruncated = true;
        bytes = MessageEncoder.Encode(response).ToArraySegment(false);
        if (bytes.Count <= limit)
        {
            return bytes;
        }

        // Still too long: an OPT option (an EDE quoting a long name or an upstream's text) goes first, keeping the bare OPT.
        if (response.EDnsOptions is { Options.Count: > 0 } opt)
        {
            opt.Options.Clear();
            bytes = MessageEncoder.Encode(response).ToArraySegment(false);
            if (bytes.Count <= limit)
            {
                return bytes;
            }
        }

        // Still too big: what is left echoes the query (several long questions), which a client can only have crafted
        // to make us amplify it. The header and a bare OPT always fit.
        response.Questions.Clear();
        return MessageEncoder.Encode(response).ToArraySegment(false);
    }

    private async void SendWhenDone(IUdpAnswerSender sender, DnsMessage query, ValueTask<DnsMessage?> answer, ClientEndPoint client)
    {
        // async void is safe here: AnswerAsync never throws (its last-resort catch answers SERVFAIL), nor does Send.
        Send(sender, query, await answer, client);
    }

    private void Send(IUdpAnswerSender sender, DnsMessage query, DnsMessage? response, ClientEndPoint client)
    {
        if (response is null)
        {
            return;
        }

        try
        {
            sender.SendAnswer(Encode(query, response), client);
        }
#pragma warning disable CA1031 // An answer that cannot be encoded is one lost answer, never a lost server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            EncodeFailed(_logger, e, client);
        }
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "Ignored malformed {Length}-byte datagram from {Client}: {Reason}")]
    private static partial void Malformed(ILogger logger, ClientEndPoint client, int length, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Could not encode the answer to {Client}")]
    private static partial void EncodeFailed(ILogger logger, Exception exception, ClientEndPoint client);
}
