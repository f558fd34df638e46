using System.Buffers.Binary;
using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution;
using NationalDns.IntegrationTests.Support;
using Reply = NationalDns.IntegrationTests.Support.ForgingUpstream.Reply;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The default engine under the contract every engine keeps, and what only it does: forged replies are ignored and
/// the honest one still served (RFC 5452), 0x20, CD passed upstream, upstream EDEs and extended RCODEs kept, names with
/// any octet in a label forwarded.
/// </summary>
public sealed class WireEngineTests : UpstreamEngineContract
{
    private static readonly UpstreamRequestFlags Recursive = new(RecursionDesired: true, DnssecOk: false);

    protected override ForwarderEngine Engine => ForwarderEngine.Wire;

    public static TheoryData<string> Forgeries() => [.. s_forgeries.Keys];

    private static readonly Dictionary<string, Func<byte[], byte[]>> s_forgeries = new()
    {
        ["another ID"] = Change(reply => reply[0] ^= 0xFF),
        ["QR=0"] = Change(reply => reply[2] &= 0x7F),
        ["another opcode"] = Change(reply => reply[2] |= 0x10),
        ["another name"] = Change(reply => reply[13] ^= 0x01),
        ["another type"] = Change(reply => BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(ForgingUpstream.QuestionEnd(reply) - 4), 28)),
        ["another class"] = Change(reply => BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(ForgingUpstream.QuestionEnd(reply) - 2), 3)),
        ["no question"] = Change(reply => BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 0)),
        ["the name in another letter case"] = Change(FlipCase),
        ["cut short"] = reply => reply[..7],
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_udp_reply_before_the_honest_one_is_ignored_and_the_honest_one_served(string forgery)
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, _) => upstream.Queries.Count == 1
            ? [Reply.Forged(query, s_forgeries[forgery]), Reply.Honest(query) with { Delay = TimeSpan.FromMilliseconds(30) }]
            : [Reply.Honest(query)];

        var answer = await ResolveAt(upstream, "www.Forged.Example");

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
        Assert.Equal("www.Forged.Example.", answer.Answers[0].Name.ToString()); // the client's letter case, never ours
    }

    [Fact]
    public async Task A_port_with_nothing_listening_fails_without_waiting_for_the_timeout()
    {
        // The fake clock never moves, so only the refusal (ICMP port unreachable) can end the question.
        var clock = new FakeClock();
        var resolver = Resolver(TimeSpan.FromSeconds(30), clock, new IPEndPoint(IPAddress.Loopback, FreePort.ForUdpAndTcp(IPAddress.Loopback)));

        var asking = resolver.ResolveAsync(Question("a.test", RecordType.A), Recursive, CancellationToken.None);

        await Assert.ThrowsAsync<UpstreamException>(() => asking.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_reply_from_another_port_is_never_taken()
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, _) => [Reply.Forged(query, reply => reply) with { FromOtherPort = true }, Reply.Honest(query) with { Delay = TimeSpan.FromMilliseconds(30) }];

        var answer = await ResolveAt(upstream, "port.example");

        Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
    }

    [Fact]
    public async Task Forged_replies_with_nothing_honest_after_them_fail_the_question_and_are_never_served()
    {
        await using var upstream = ForgingUpstream.Start();
        // A reply in another letter case is a forgery only of a question 0x20 cased: the question asked again as the
        // client wrote it compares as names do, without case (RFC 4343), so that forgery goes with the first question.
        upstream.Script = (query, _) => [
            .. s_forgeries.Where(f => f.Key != "the name in another letter case" || upstream.Queries.Count == 1).Select(f => Reply.Forged(query, f.Value)),
            Reply.Forged(query, reply => reply) with { FromOtherPort = true }];

        await Assert.ThrowsAsync<UpstreamException>(() => ResolveAt(upstream, "only.forged.example", TimeSpan.FromMilliseconds(600)));
        Assert.True(upstream.Queries.Count >= 1);
    }

    [Fact]
    public async Task Over_tcp_after_truncation_a_reply_with_another_question_is_ignored()
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, tcp) => tcp
            ? [Reply.Forged(query, s_forgeries["another name"]), Reply.Honest(query)]
            : [Reply.Honest(query, truncated: true)];

        var answer = await ResolveAt(upstream, "big.example");

        Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
    }

    [Fact]
    public async Task Names_go_upstream_in_random_letter_case_and_come_back_in_the_clients()
    {
        await using var upstream = ForgingUpstream.Start();
        const string Name = "a-long-name-with-many-letters.example";

        var answers = new List<UpstreamAnswer>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await ResolveAt(upstream, Name));
        }

        var sent = upstream.Queries.Select(SentName).ToList();
        Assert.All(sent, name => Assert.Equal(Name, name, ignoreCase: true));
        Assert.True(sent.Distinct(StringComparer.Ordinal).Count() > 1, $"the case never varied: {sent[0]}");
        Assert.All(answers, answer => Assert.Equal(Name + ".", answer.Answers[0].Name.ToString()));
    }

    [Fact]
    public async Task An_upstream_that_does_not_echo_the_case_still_answers_and_gets_plain_names_after_three_tries()
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, _) => [new Reply(Lowered(Reply.Honest(query).Bytes))];
        var resolver = Resolver(TimeSpan.FromSeconds(2), upstream.EndPoint);

        for (var i = 0; i < 5; i++)
        {
            var answer = await resolver.ResolveAsync(Question("lower.example", RecordType.A), Recursive, CancellationToken.None);
            Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
        }

        // Each of the first three questions was asked twice (mixed case, then plain); after that, once each, plainly.
        Assert.Equal(8, upstream.Queries.Count);
        Assert.All(upstream.Queries.Skip(6), query => Assert.Equal("lower.example", SentName(query)));
    }

    [Fact]
    public async Task A_client_name_in_mixed_case_is_answered_by_an_upstream_that_lower_cases_it_once_asked_in_the_clients_case()
    {
        await using var upstream = ForgingUpstream.Start();
        upstream.Script = (query, _) => [new Reply(Lowered(Reply.Honest(query).Bytes))];
        var resolver = Resolver(TimeSpan.FromSeconds(5), upstream.EndPoint);

        var answer = await resolver.ResolveAsync(Question("Mixed.Lower.Example", RecordType.A), Recursive, CancellationToken.None);

        Assert.Equal(ForgingUpstream.HonestAddress, Assert.IsType<ARecord>(Assert.Single(answer.Answers)).Address);
        Assert.Equal("Mixed.Lower.Example.", answer.Answers[0].Name.ToString());
        Assert.Equal(["Mixed.Lower.Example"], upstream.Queries.Skip(1).Select(SentName)); // asked once more, as the client wrote it, and taken
    }

    [Fact]
    public async Task CD_reaches_the_upstream()
    {
        var answer = await Resolver(TimeSpan.FromSeconds(2), Upstream.EndPoint)
            .ResolveAsync(Question("a.test", RecordType.A), new UpstreamRequestFlags(true, true, CheckingDisabled: true), CancellationToken.None);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(Assert.Single(Upstream.Queries).CheckingDisabled);
    }

    [Fact]
    public async Task Upstream_extended_dns_errors_and_extended_rcodes_are_kept()
    {
        Upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.ServerFailure;
            new ExtendedDnsError(6, "DNSSEC Bogus").AttachTo(response);
            return response;
        };

        var bogus = await ResolveAsync("bogus.test", RecordType.A);

        Assert.Equal(ReturnCode.ServerFailure, bogus.ReturnCode);
        Assert.Equal([new ExtendedDnsError(6, "DNSSEC Bogus")], bogus.ExtendedErrors);

        Upstream.Responder = query =>
        {
            var response = query.CreateResponseInstance();
            response.ReturnCode = ReturnCode.BadVersion;
            return response;
        };

        Assert.Equal(ReturnCode.BadVersion, (await ResolveAsync("badvers.test", RecordType.A)).ReturnCode);
    }

    [Fact]
    public async Task A_name_with_a_dot_or_a_nul_inside_a_label_is_forwarded_as_it_is()
    {
        var name = new DomainName(["dot.label", "nul\0byte", "test"]);

        var answer = await Resolver(TimeSpan.FromSeconds(2), Upstream.EndPoint).ResolveAsync(new DnsQuestion(name, RecordType.A, RecordClass.INet), Recursive, CancellationToken.None);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        var seen = Assert.Single(Upstream.Queries);
        Assert.Equal("dot.label.nul\0byte.test", seen.Name);
    }

    private Task<UpstreamAnswer> ResolveAt(ForgingUpstream upstream, string name, TimeSpan? timeout = null) =>
        Resolver(timeout ?? TimeSpan.FromSeconds(2), upstream.EndPoint).ResolveAsync(Question(name, RecordType.A), Recursive, CancellationToken.None);

    private static string SentName(byte[] query)
    {
        var labels = new List<string>();
        for (var offset = 12; query[offset] != 0; offset += 1 + query[offset])
        {
            labels.Add(Encoding.Latin1.GetString(query, offset + 1, query[offset]));
        }

        return string.Join('.', labels);
    }

    private static Func<byte[], byte[]> Change(Action<byte[]> change) => reply =>
    {
        change(reply);
        return reply;
    };

    private static void FlipCase(byte[] reply)
    {
        for (var i = 12; i < ForgingUpstream.QuestionEnd(reply) - 4; i++)
        {
            if (char.IsAsciiLetter((char)reply[i]))
            {
                reply[i] ^= 0x20;
            }
        }
    }

    private static byte[] Lowered(byte[] reply)
    {
        for (var i = 12; i < ForgingUpstream.QuestionEnd(reply) - 4; i++)
        {
            if (char.IsAsciiLetterUpper((char)reply[i]))
            {
                reply[i] |= 0x20;
            }
        }

        return reply;
    }
}
