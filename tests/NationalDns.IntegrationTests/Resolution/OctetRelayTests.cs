using System.Buffers.Binary;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// A forwarded answer reaches the client as the upstream wrote its records, octet for octet: a name holding octets
/// ARSoft's parser cannot keep (0x80 and above become '?'), a dot or a NUL inside a label (RFC 2181 §11).
/// </summary>
public sealed class OctetRelayTests
{
    // owner: \128.\.\000\255.test, type A, class IN, TTL 60, 192.0.2.9
    private static readonly byte[] OddRecord =
    [
        4, 0x80, (byte)'.', 0x00, 0xFF, 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0,
        0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9,
    ];

    [Theory]
    [InlineData(null)]
    [InlineData((ushort)1232)]
    public async Task A_record_whose_name_holds_any_octet_is_relayed_as_the_upstream_wrote_it(ushort? ednsSize)
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, _) =>
        {
            // The honest answer with the odd record after it, in the answer section too.
            byte[] reply = [.. ForgingUpstream.Reply.Honest(query).Bytes, .. OddRecord];
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 2);
            return [new ForgingUpstream.Reply(reply)];
        };
        await using var server = await TestServer.StartAsync(upstream.EndPoint, "blocked.example\n");

        var answer = await DnsTestClient.UdpBytesAsync(server.EndPoint, new QueryBuilder { Name = "odd.test", EdnsUdpSize = ednsSize }.Build());

        Assert.NotNull(answer);
        Assert.Equal(0, answer[3] & 0x0F);                                   // NOERROR
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)));
        Assert.True(answer.AsSpan().IndexOf(OddRecord) > 0, "the odd record, octet for octet");
    }
}
