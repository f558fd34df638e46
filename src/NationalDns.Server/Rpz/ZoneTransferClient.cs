using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Rpz.Following;
using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Asks a primary for a policy zone over TCP (RFC 5936, RFC 1995): IXFR from the serial held, or AXFR when none is, and
/// reads length-prefixed messages until <see cref="TransferAssembler"/> says the transfer is complete. Every failure
/// (refused, connection lost, a malformed message, no progress within the timeout) is one <see cref="ZoneTransferException"/>.
/// With a TSIG key the request is signed and every answer must be signed with the key (RFC 8945 §5.3.1: the first and
/// last message at least), or the transfer fails and nothing of it is used.
/// </summary>
internal sealed class ZoneTransferClient(IPEndPoint primary, TimeSpan timeout, TsigKey? key, TimeProvider time)
{
    // Each message must arrive within the timeout; the whole transfer may take longer (a million-record zone does).
    public async Task<TransferAnswer> TransferAsync(string zone, uint? heldSerial, CancellationToken cancellationToken)
    {
        var kind = heldSerial is null ? "AXFR" : $"IXFR from serial {heldSerial}";
        try
        {
            using var socket = new Socket(primary.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using (var connecting = Deadline(cancellationToken))
            {
                await socket.ConnectAsync(primary, connecting.Token);
            }

            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var query = TransferQuery.Build(id, zone, heldSerial);
            TsigVerifier.AnswerVerifier? signature = null;
            if (key is not null)
            {
                (query, var mac) = new TsigSigner(key, time).SignRequest(query);
                signature = new TsigVerifier(key, time).ForAnswer(mac);
            }

            var frame = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
            query.CopyTo(frame, 2);
            await stream.WriteAsync(frame, cancellationToken);

            var assembler = new TransferAssembler(zone, heldSerial);
            var header = new byte[2];
            while (true)
            {
                var (bytes, message) = await ReadMessageAsync(stream, header, cancellationToken);
                if (message.TransactionID != id)
                {
                    throw new ZoneTransferException($"{kind} of {zone} from {primary}: answer with another ID");
                }

                if (message.ReturnCode != ReturnCode.NoError)
                {
                    var tsigError = message.TSigOptions is { Error: not ReturnCode.NoError and var error }
                        ? $" (TSIG {((TsigError)(ushort)error).ToString().ToUpperInvariant()}: the primary does not take key {key?.Name ?? "(none)"} as signed)"
                        : string.Empty;
                    throw new ZoneTransferException($"{kind} of {zone} from {primary}: {DnsText.ReturnCodeName(message.ReturnCode)}{tsigError}");
                }

                if (signature?.Verify(bytes) is { IsValid: false } check)
                {
                    throw new ZoneTransferException($"{kind} of {zone} from {primary}: answer rejected, TSIG {check.Reason}");
                }

                if (assembler.Add(message.AnswerRecords))
                {
                    return signature is null or { EndsSigned: true }
                        ? assembler.ToAnswer()
                        : throw new ZoneTransferException($"{kind} of {zone} from {primary}: answer rejected, TSIG: its last message is not signed");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ZoneTransferException($"{kind} of {zone} from {primary}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new ZoneTransferException($"{kind} of {zone} from {primary}: {e.Message}", e);
        }
    }

    private async Task<(byte[] Bytes, DnsMessage Message)> ReadMessageAsync(NetworkStream stream, byte[] header, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        await stream.ReadExactlyAsync(header, deadline.Token);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(body, deadline.Token);
        try
        {
            return (body, DnsMessage.Parse(body));
        }
#pragma warning disable CA1031 // Whatever the parser throws on a bad message means one thing: this transfer failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw new ZoneTransferException($"malformed transfer message from {primary}: {e.Message}", e);
        }
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(timeout);
        return source;
    }
}
