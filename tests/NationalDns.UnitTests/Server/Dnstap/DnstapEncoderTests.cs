using System.Buffers;
using System.Buffers.Binary;
using NationalDns.Server.Dnstap;
using NationalDns.Server.Dnstap.Protocol;
using MessageType = NationalDns.Server.Dnstap.Protocol.Message.Types.Type;

namespace NationalDns.UnitTests.Server.Dnstap;

public sealed class DnstapEncoderTests
{
    private readonly DnstapEncoder _encoder = new("ns1.example", "NationalDns 1.0.0");

    [Fact]
    public void An_answered_query_becomes_a_client_query_and_a_client_response()
    {
        var entry = Entries.For("a");

        var frames = Encode(entry);

        Assert.Equal([MessageType.ClientQuery, MessageType.ClientResponse], frames.Select(f => f.Message.Type));
        Assert.All(frames, f =>
        {
            Assert.Equal(NationalDns.Server.Dnstap.Protocol.Dnstap.Types.Type.Message, f.Type);
            Assert.Equal("ns1.example", f.Identity.ToStringUtf8());
            Assert.Equal("NationalDns 1.0.0", f.Version.ToStringUtf8());
            Assert.Equal(SocketFamily.Inet, f.Message.SocketFamily);
            Assert.Equal(SocketProtocol.Udp, f.Message.SocketProtocol);
            Assert.Equal(new byte[] { 127, 0, 0, 1 }, f.Message.QueryAddress.ToByteArray());
            Assert.Equal(40000u, f.Message.QueryPort);
            Assert.Equal((ulong)Entries.Time.ToUnixTimeSeconds(), f.Message.QueryTimeSec);
            Assert.Equal(123_456_700u, f.Message.QueryTimeNsec);
        });
        Assert.Equal(entry.QueryMessage!.Value.ToArray(), frames[0].Message.QueryMessage.ToByteArray());
        Assert.False(frames[0].Message.HasResponseMessage);
        Assert.Equal(entry.ResponseMessage!.Value.ToArray(), frames[1].Message.ResponseMessage.ToByteArray());
        Assert.Equal((ulong)Entries.Time.ToUnixTimeSeconds(), frames[1].Message.ResponseTimeSec);
        Assert.Equal(125_956_700u, frames[1].Message.ResponseTimeNsec); // 2.5 ms later
    }

    [Fact]
    public void A_query_without_an_answer_is_only_a_client_query()
    {
        var frames = Encode(Entries.For("a", answered: false));

        Assert.Equal([MessageType.ClientQuery], frames.Select(f => f.Message.Type));
    }

    [Fact]
    public void An_IPv6_client_over_TCP_is_reported_as_such()
    {
        var message = Encode(Entries.For("a", client: "2001:db8::7", transport: "tcp"))[0].Message;

        Assert.Equal(SocketFamily.Inet6, message.SocketFamily);
        Assert.Equal(SocketProtocol.Tcp, message.SocketProtocol);
        Assert.Equal(System.Net.IPAddress.Parse("2001:db8::7").GetAddressBytes(), message.QueryAddress.ToByteArray());
    }

    [Fact]
    public void An_IPv4_mapped_client_is_reported_as_IPv4()
    {
        var message = Encode(Entries.For("a", client: "::ffff:192.0.2.9"))[0].Message;

        Assert.Equal(SocketFamily.Inet, message.SocketFamily);
        Assert.Equal(new byte[] { 192, 0, 2, 9 }, message.QueryAddress.ToByteArray());
    }

    // Splits the output at each 4-octet big-endian length and parses every payload as a Dnstap envelope.
    private List<NationalDns.Server.Dnstap.Protocol.Dnstap> Encode(NationalDns.Core.QueryLog.QueryLogEntry entry)
    {
        var output = new ArrayBufferWriter<byte>();
        var count = _encoder.Append(entry, output);
        var frames = new List<NationalDns.Server.Dnstap.Protocol.Dnstap>();
        var rest = output.WrittenMemory;
        while (rest.Length > 0)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest.Span);
            frames.Add(NationalDns.Server.Dnstap.Protocol.Dnstap.Parser.ParseFrom(rest.Slice(4, length).Span));
            rest = rest[(4 + length)..];
        }

        Assert.Equal(count, frames.Count);
        return frames;
    }
}
