using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Core.Resolution.Wire;
using NationalDns.Server.Hosting;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Resolution.Relay;

/// <summary>
/// A forwarded answer composed from the upstream's octets says exactly what the records encoded again said: for every
/// client EDNS size, DO, CD and RD, upstream code and flag, and answer size (each truncation step included), the two
/// messages read back identically. And record data with octets ARSoft cannot keep reaches the client as it was sent.
/// </summary>
public class RelayComposerTests
{
    private static readonly UpstreamTarget Upstream = new IPEndPoint(IPAddress.Loopback, 53);
    private static readonly DomainName Name = DomainName.Parse("www.Relay.Example");

    public static TheoryData<int, bool, bool, bool, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool, bool, int, int, bool, bool>();
        foreach (var clientSize in new[] { 0, 512, 1232, 4096 })
        {
            foreach (var answers in new[] { 0, 1, 30, 90 })
            {
                foreach (var additional in new[] { 0, 12 })
                {
                    foreach (var rcode in new[] { ReturnCode.NoError, ReturnCode.NxDomain, ReturnCode.ServerFailure })
                    {
                        var flip = (clientSize + answers + additional + (int)rcode) % 2 == 0;
                        data.Add(clientSize, flip, !flip, true, (int)rcode, answers, additional > 0, flip);
                        data.Add(clientSize, !flip, flip, false, (int)rcode, answers, additional > 0, !flip);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_relayed_answer_reads_back_as_the_encoded_one(int clientSize, bool dnssecOk, bool checkingDisabled, bool recursionDesired, int rcode, int answers, bool additional, bool authenticData)
    {
        var query = Query(clientSize, dnssecOk, checkingDisabled, recursionDesired);
        var reply = Reply(query, (ReturnCode)rcode, answers, additional, authenticData, edeText: null);

        var (relayed, encoded) = await BothWays(query, reply);

        Assert.Equal(Normalised(encoded), Normalised(relayed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    [InlineData(1232)]
    public async Task Upstream_extended_errors_and_extended_rcodes_are_relayed_as_before(int clientSize)
    {
        var query = Query(clientSize, dnssecOk: true, checkingDisabled: false, recursionDesired: true);
        foreach (var (answers, text) in new[] { (0, "DNSSEC Bogus"), (3, new string('x', 300)), (60, new string('y', 200)) })
        {
            var reply = Reply(query, ReturnCode.ServerFailure, answers, additional: false, authenticData: false, edeText: text);

            var (relayed, encoded) = await BothWays(query, reply);

            Assert.Equal(Normalised(encoded), Normalised(relayed));
        }

        // A client without EDNS cannot be told an extended RCODE: it gets SERVFAIL, which is no relay.
        if (clientSize > 0)
        {
            var badVersion = Reply(query, ReturnCode.BadVersion, 1, additional: false, authenticData: false, edeText: null);
            var (relayedBad, encodedBad) = await BothWays(query, badVersion);
            Assert.Equal(Normalised(encodedBad), Normalised(relayedBad));
        }
    }

    [Fact]
    public async Task Record_data_with_any_octet_in_a_label_reaches_the_client_as_the_upstream_wrote_it()
    {
        var query = Query(1232, dnssecOk: false, checkingDisabled: false, recursionDesired: true);
        var reply = Reply(query, ReturnCode.NoError, 0, additional: false, authenticData: false, edeText: null);

        // A CNAME whose target has a label with octets ARSoft turns into '?' (0x80, 0xFF), a dot and a NUL.
        byte[] target = [4, 0x80, (byte)'.', 0x00, 0xFF, 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0];
        var record = new byte[12 + target.Length];
        BinaryPrimitives.WriteUInt16BigEndian(record, 0xC00C);                // owner: the question's name
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), WireFormat.TypeCName);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(4), WireFormat.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(6), 60);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(10), (ushort)target.Length);
        target.CopyTo(record, 12);
        // Appended as an additional record, so no compression pointer of the reply moves.
        byte[] withCname = [.. reply, .. record];
        BinaryPrimitives.WriteUInt16BigEndian(withCname.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(withCname.AsSpan(10)) + 1));

        var (relayed, _) = await BothWays(query, withCname);

        Assert.True(relayed.AsSpan().IndexOf(record) > 0);
    }

    [Fact]
    public void A_reply_with_records_after_its_OPT_is_not_taken_as_octets()
    {
        var query = Query(1232, dnssecOk: false, checkingDisabled: false, recursionDesired: true);
        var upstream = query.CreateResponseInstance();
        upstream.AnswerRecords.Add(new ARecord(Name, 60, IPAddress.Parse("192.0.2.1")));
        upstream.AdditionalRecords.Add(new ARecord(DomainName.Parse("ns.example"), 60, IPAddress.Parse("192.0.2.2")));

        // ARSoft writes OPT first among the additional records.
        Assert.False(UpstreamReply.TryRead(MessageEncoder.Encode(upstream).ToArraySegment(false).ToArray(), out _));
    }

    private static DnsMessage Query(int clientSize, bool dnssecOk, bool checkingDisabled, bool recursionDesired)
    {
        var query = new DnsMessage { TransactionID = 4242, IsQuery = true, IsRecursionDesired = recursionDesired, IsCheckingDisabled = checkingDisabled };
        query.Questions.Add(new DnsQuestion(Name, RecordType.A, RecordClass.INet));
        if (clientSize > 0)
        {
            query.IsEDnsEnabled = true;
            query.EDnsOptions!.UdpPayloadSize = (ushort)clientSize;
            query.IsDnsSecOk = dnssecOk;
        }

        return query;
    }

    // The upstream's reply as octets, written as NSD and Unbound write it: OPT (when there is one) last.
    private static byte[] Reply(DnsMessage query, ReturnCode rcode, int answers, bool additional, bool authenticData, string? edeText)
    {
        var lowCode = (ushort)rcode <= 15 ? rcode : ReturnCode.NoError; // the rest goes into OPT, below
        var upstream = new DnsMessage { TransactionID = 1, IsQuery = false, IsRecursionDesired = true, IsRecursionAllowed = true, IsAuthenticData = authenticData, ReturnCode = lowCode };
        upstream.Questions.Add(query.Questions[0]);
        for (var i = 0; i < answers; i++)
        {
            upstream.AnswerRecords.Add(new ARecord(Name, 300, new IPAddress([192, 0, 2, (byte)i])));
        }

        upstream.AuthorityRecords.Add(new SoaRecord(DomainName.Parse("Relay.Example"), 300, DomainName.Parse("ns.relay.example"), DomainName.Parse("h.relay.example"), 1, 7200, 3600, 1209600, 300));
        for (var i = 0; additional && i < 12; i++)
        {
            upstream.AdditionalRecords.Add(new AaaaRecord(DomainName.Parse($"ns{i}.relay.example"), 300, IPAddress.Parse($"2001:db8::{i + 1}")));
        }

        var bytes = MessageEncoder.Encode(upstream).ToArraySegment(false).ToArray();
        if ((ushort)rcode <= 15 && edeText is null)
        {
            return bytes;
        }

        // OPT last, by hand: extended RCODE and an EDE option.
        var text = edeText is null ? [] : System.Text.Encoding.UTF8.GetBytes(edeText);
        var options = edeText is null ? 0 : 6 + text.Length;
        var opt = new byte[11 + options];
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(1), WireFormat.TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(3), 1232);
        opt[5] = (byte)((ushort)rcode >> 4);
        BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(9), (ushort)options);
        if (edeText is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(11), ExtendedDnsError.OptionCode);
            BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(13), (ushort)(2 + text.Length));
            BinaryPrimitives.WriteUInt16BigEndian(opt.AsSpan(15), 6);
            text.CopyTo(opt, 17);
        }

        bytes[3] = (byte)((bytes[3] & 0xF0) | ((ushort)rcode & 0x0F));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)) + 1));
        return [.. bytes, .. opt];
    }

    // The forwarded answer sent over UDP both ways: from the octets (today's path) and from the records (the former path).
    private static async Task<(byte[] Relayed, byte[] Encoded)> BothWays(DnsMessage query, byte[] reply)
    {
        Assert.True(ReplyDecoder.TryDecode(reply, Upstream, out var answer));
        Assert.NotNull(answer.Reply);
        var relayed = await Forward(query, answer);
        var encoded = await Forward(query, answer with { Reply = null });
        Assert.IsType<RelayedResponse>(relayed);
        Assert.IsNotType<RelayedResponse>(encoded);
        return ([.. UdpQueryHandler.Encode(query, relayed)], [.. UdpQueryHandler.Encode(query, encoded)]);
    }

    private static async Task<DnsMessage> Forward(DnsMessage query, UpstreamAnswer answer)
    {
        var result = await new ForwardingStage(new OneAnswer(answer)).HandleAsync(Queries.For(query), new RecordingNext().Handler, CancellationToken.None);
        return result.Response!;
    }

    // Both read back and written again by one encoder: the same message then gives the same octets, however each was
    // compressed. OPT goes first among the additional records, where ARSoft puts it (the relay writes it last; the
    // order of additional records carries no meaning, RFC 6891 §6.1.1).
    private static byte[] Normalised(byte[] message)
    {
        var parsed = DnsMessage.Parse(message);
        var records = parsed.AdditionalRecords.OrderBy(r => r is OptRecord ? 0 : 1).ToList();
        parsed.AdditionalRecords.Clear();
        parsed.AdditionalRecords.AddRange(records);
        return [.. MessageEncoder.Encode(parsed).ToArraySegment(false)];
    }

    private sealed class OneAnswer(UpstreamAnswer answer) : IUpstreamResolver
    {
        public Task<UpstreamAnswer> ResolveAsync(DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken) => Task.FromResult(answer);
    }
}
