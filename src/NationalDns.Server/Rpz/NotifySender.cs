using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Tells every <c>--notify</c> target of each new serial with a NOTIFY over UDP (RFC 1996), and once at startup, as BIND
/// does for its primary zones. An unanswered NOTIFY is sent again, up to <see cref="MaxAttempts"/> times in all; each
/// target's outcome is logged. With <c>--tsig-key</c> each NOTIFY is signed with the key. A target that never answers still gets the change at its next SOA refresh.
/// </summary>
public sealed partial class NotifySender : IHostedService, IDisposable
{
    public const int MaxAttempts = 5;

    // RFC 1996 §3.6 suggests 60 s between retries; a feed whose consumers sit on the same network can ask sooner.
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(1);

    private readonly RpzPublisher _zone;
    private readonly RpzOptions _options;
    private readonly ILogger<NotifySender> _logger;
    private readonly DnsMetrics? _metrics;
    private readonly TsigSigner? _signer;
    private readonly CancellationTokenSource _stopping = new();

    public NotifySender(RpzPublisher zone, RpzOptions options, TransferAccess access, ILogger<NotifySender> logger, DnsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(access);
        _zone = zone;
        _options = options;
        _signer = access.Signer;
        _logger = logger;
        _metrics = metrics;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _zone.Changed += OnChanged;
        NotifyAll(_zone.Current.Serial);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _zone.Changed -= OnChanged;
        await _stopping.CancelAsync();
    }

    public void Dispose() => _stopping.Dispose();

    private void OnChanged(object? sender, RpzVersion version) => NotifyAll(version.Serial);

    private void NotifyAll(SerialNumber serial)
    {
        foreach (var target in _options.Notify)
        {
            _ = NotifyAsync(target, serial, _stopping.Token);
        }
    }

    private async Task NotifyAsync(IPEndPoint target, SerialNumber serial, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var datagram = Sign(MessageEncoder.Encode(Notify(id, serial)).ToArraySegment(false));
            var buffer = new byte[4096];
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                await socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken);
                if (await AwaitAnswerAsync(socket, buffer, id, cancellationToken) is { } code)
                {
                    _metrics?.CountNotify(acknowledged: true);
                    Log.Answered(_logger, _zone.Shape.Origin.ToString(), serial.Value, target, code, attempt);
                    return;
                }
            }

            _metrics?.CountNotify(acknowledged: false);
            Log.Unanswered(_logger, _zone.Shape.Origin.ToString(), serial.Value, target, MaxAttempts);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (SocketException e)
        {
            _metrics?.CountNotify(acknowledged: false);
            Log.Failed(_logger, _zone.Shape.Origin.ToString(), serial.Value, target, e.SocketErrorCode);
        }
    }

    // With --tsig-key the NOTIFY is signed, so a secondary that requires the key for NOTIFY (BIND's allow-notify { key NAME; }) takes it.
    private byte[] Sign(ArraySegment<byte> notify) => _signer is null ? [.. notify] : _signer.SignRequest(notify).Message;

    private DnsMessage Notify(ushort id, SerialNumber serial)
    {
        var message = new DnsMessage { TransactionID = id, OperationCode = OperationCode.Notify, IsAuthoritiveAnswer = true, IsEDnsEnabled = false };
        message.Questions.Add(new DnsQuestion(_zone.Shape.Origin, RecordType.Soa, RecordClass.INet));
        message.AnswerRecords.Add(_zone.Shape.Soa(serial)); // RFC 1996 §3.7: the new SOA, so the secondary may skip its SOA query
        return message;
    }

    // The response code of the target's answer to this NOTIFY, or null when none came in time.
    private static async Task<ReturnCode?> AwaitAnswerAsync(Socket socket, byte[] buffer, ushort id, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                try
                {
                    var answer = DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, received));
                    if (!answer.IsQuery && answer.TransactionID == id && answer.OperationCode == OperationCode.Notify)
                    {
                        return answer.ReturnCode;
                    }
                }
#pragma warning disable CA1031 // Garbage on the socket is not the answer; keep waiting for it.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return null; // ICMP port unreachable: nobody listens there (yet); try again
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 65, Level = LogLevel.Information, Message = "NOTIFY {Zone} serial {Serial} to {Target}: answered {Code} (attempt {Attempt})")]
        public static partial void Answered(ILogger logger, string zone, uint serial, IPEndPoint target, ReturnCode code, int attempt);

        [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "NOTIFY {Zone} serial {Serial} to {Target}: no answer after {Attempts} attempts")]
        public static partial void Unanswered(ILogger logger, string zone, uint serial, IPEndPoint target, int attempts);

        [LoggerMessage(EventId = 67, Level = LogLevel.Warning, Message = "NOTIFY {Zone} serial {Serial} to {Target} failed: {Error}")]
        public static partial void Failed(ILogger logger, string zone, uint serial, IPEndPoint target, SocketError error);
    }
}
