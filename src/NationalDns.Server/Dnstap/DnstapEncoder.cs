using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using NationalDns.Core.QueryLog;
using Protocol = NationalDns.Server.Dnstap.Protocol;

namespace NationalDns.Server.Dnstap;

/// <summary>
/// Turns query log entries into dnstap data frames, the way a forwarding server reports its clients: a CLIENT_QUERY
/// with the query as received, and a CLIENT_RESPONSE with the answer as sent when there was one (a dropped query has
/// none). Both carry the client's address, port and transport, and the server's identity and version.
/// </summary>
internal sealed class DnstapEncoder
{
    private const int LengthPrefix = 4;

    private readonly ByteString _identity;
    private readonly ByteString _version;

    public DnstapEncoder(string identity, string version)
    {
        _identity = ByteString.CopyFromUtf8(identity);
        _version = ByteString.CopyFromUtf8(version);
    }

    /// <summary>Appends one or two data frames for <paramref name="entry"/>; returns how many.</summary>
    public int Append(QueryLogEntry entry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var query = Client(entry, Protocol.Message.Types.Type.ClientQuery);
        if (entry.QueryMessage is { Length: > 0 } queryMessage)
        {
            // The entry's octets outlive this call, which serialises them at once: no copy needed.
            query.QueryMessage = UnsafeByteOperations.UnsafeWrap(queryMessage);
        }

        AppendFrame(Envelope(query), output);
        // Empty octets mean nothing was sent, as null does (a null byte[] converts to an empty, non-null memory).
        if (entry.ResponseMessage is not { Length: > 0 } responseMessage)
        {
            return 1;
        }

        var response = Client(entry, Protocol.Message.Types.Type.ClientResponse);
        var answered = entry.Time + TimeSpan.FromMilliseconds(entry.LatencyMs);
        response.ResponseTimeSec = (ulong)answered.ToUnixTimeSeconds();
        response.ResponseTimeNsec = Nanoseconds(answered);
        response.ResponseMessage = UnsafeByteOperations.UnsafeWrap(responseMessage);
        AppendFrame(Envelope(response), output);
        return 2;
    }

    // The query log's transport names (Transports.Name), as dnstap's socket protocols.
    private static Protocol.SocketProtocol SocketProtocolOf(string transport) => transport switch
    {
        "tcp" => Protocol.SocketProtocol.Tcp,
        "tls" => Protocol.SocketProtocol.Dot,
        "https" => Protocol.SocketProtocol.Doh,
        _ => Protocol.SocketProtocol.Udp,
    };

    private static Protocol.Message Client(QueryLogEntry entry, Protocol.Message.Types.Type type)
    {
        var message = new Protocol.Message
        {
            Type = type,
            SocketProtocol = SocketProtocolOf(entry.Transport),
            QueryPort = (uint)entry.ClientPort,
            QueryTimeSec = (ulong)entry.Time.ToUnixTimeSeconds(),
            QueryTimeNsec = Nanoseconds(entry.Time),
        };
        if (IPAddress.TryParse(entry.Client, out var client))
        {
            if (client.IsIPv4MappedToIPv6)
            {
                client = client.MapToIPv4();
            }

            message.SocketFamily = client.AddressFamily == AddressFamily.InterNetworkV6 ? Protocol.SocketFamily.Inet6 : Protocol.SocketFamily.Inet;
            message.QueryAddress = UnsafeByteOperations.UnsafeWrap(client.GetAddressBytes());
        }

        return message;
    }

    private Protocol.Dnstap Envelope(Protocol.Message message) => new()
    {
        Type = Protocol.Dnstap.Types.Type.Message,
        Identity = _identity,
        Version = _version,
        Message = message,
    };

    private static void AppendFrame(Protocol.Dnstap dnstap, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(LengthPrefix), (uint)dnstap.CalculateSize());
        output.Advance(LengthPrefix);
        dnstap.WriteTo(output);
    }

    // The part of the second below it, in nanoseconds; a tick is 100 ns.
    private static uint Nanoseconds(DateTimeOffset time) => (uint)(time.UtcTicks % TimeSpan.TicksPerSecond * 100);
}
