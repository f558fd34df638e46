using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Time;
using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>
/// <see cref="UdpFastPath.TryAnswer"/> as the receive loop calls it, with a rule of every action and a cache holding
/// answers for <c>two.test</c> (A), <c>www.chain.test</c> (CNAME), <c>missing.test</c> (NXDOMAIN), <c>mail.test</c>
/// (MX) and <c>big.test</c> (TXT). The input is the datagram. A handled query's answer must fit the client and equal
/// the pipeline's (blocked: <see cref="BlockedResponses"/>; otherwise the caching stage's); "handled, send nothing"
/// only ever means a drop rule.
/// </summary>
internal sealed class UdpFastPathTarget : IFuzzTarget
{
    private static readonly SocketAddress Client = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
    private static readonly (string Name, RecordType Type, int Kind)[] Cached =
    [
        ("two.test", RecordType.A, 0), ("www.chain.test", RecordType.A, 1), ("www.cut.test", RecordType.A, 2),
        ("missing.test", RecordType.A, 3), ("two.test", RecordType.Aaaa, 4), ("mail.test", RecordType.Mx, 5), ("big.test", RecordType.Txt, 6),
    ];

    private readonly RuleSet _rules = FastPathFixtures.Rules(FastPathFixtures.EveryAction);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero));
    private readonly ResponseCache _cache;
    private readonly UdpFastPath _fastPath;
    private readonly byte[] _answer = new byte[ushort.MaxValue];

    public UdpFastPathTarget()
    {
        _cache = new ResponseCache(new CacheOptions(), _time);
        foreach (var (name, type, kind) in Cached)
        {
            foreach (var (dnssecOk, checkingDisabled) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                FastPathFixtures.Store(_cache, kind, name, type, dnssecOk, checkingDisabled);
            }
        }

        _fastPath = new UdpFastPath(new RuleSetHolder(_rules), FastPathFixtures.Options, _time, _cache, new RuleClock(_time));
    }

    public string Name => "udp-fast-path";

    public void Run(byte[] input)
    {
        var length = _fastPath.TryAnswer(input, _answer, Client);
        if (length == IUdpFastPath.NotHandled)
        {
            return;
        }

        InvariantViolationException.ThrowUnless(length >= 0, $"TryAnswer returned {length}");
        Span<char> buffer = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        InvariantViolationException.ThrowUnless(WireQuery.TryParse(input, buffer, labelOffsets, out var parsed), "a datagram WireQuery rejects was answered");
        var rule = _rules.Match(buffer[..parsed.NameLength], new RuleContext(_time.GetUtcNow()));
        if (length == 0)
        {
            InvariantViolationException.ThrowUnless(rule?.Action.Kind == BlockActionKind.Drop, $"nothing sent for a name whose rule is {rule?.ToString() ?? "none"}");
            return;
        }

        if (rule is { IsException: false })
        {
            PipelineAnswers.CheckBlocked(input, parsed, _answer.AsSpan(0, length), rule, FastPathFixtures.Options, toBeSent: true);
        }
        else
        {
            PipelineAnswers.CheckCached(input, parsed, _answer.AsSpan(0, length), _cache);
        }
    }
}
