using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsResponseException = DnsClient.DnsResponseException;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Resolution;

namespace NationalDns.UnitTests.Resolution;

/// <summary>
/// Stand-ins for upstream resolvers behind the pool's exchange seam: each one answers, fails or stays silent as the
/// test says, on a fake clock, and every question it receives is recorded.
/// </summary>
internal sealed class ScriptedUpstreams(FakeTimeProvider time)
{
    public static readonly IPEndPoint A = new(IPAddress.Loopback, 5301);
    public static readonly IPEndPoint B = new(IPAddress.Loopback, 5302);
    public static readonly IPEndPoint C = new(IPAddress.Loopback, 5303);

    private readonly ConcurrentDictionary<IPEndPoint, Func<CancellationToken, Task<UpstreamAnswer>>> _behaviours = new();
    private readonly ConcurrentQueue<UpstreamCall> _calls = new();

    public IReadOnlyList<UpstreamCall> Calls => [.. _calls];

    /// <summary>The upstreams asked for clients' questions, in order; background probes left out.</summary>
    public IReadOnlyList<IPEndPoint> Asked => [.. Calls.Where(c => !c.IsProbe).Select(c => c.Server)];

    public IReadOnlyList<UpstreamCall> Probes => [.. Calls.Where(c => c.IsProbe)];

    /// <summary>The answer <paramref name="server"/> gives: one A record whose address names the server.</summary>
    public static UpstreamAnswer AnswerFrom(IPEndPoint server, ReturnCode code = ReturnCode.NoError) =>
        new(code, false, false, true, [new ARecord(DomainName.Parse("answer.test"), 60, new IPAddress([192, 0, 2, (byte)(server.Port - 5300)]))], [], []);

    /// <summary>Which server gave <paramref name="answer"/>.</summary>
    public static IPEndPoint SenderOf(UpstreamAnswer answer) =>
        new(IPAddress.Loopback, 5300 + ((ARecord)answer.Answers.Single()).Address.GetAddressBytes()[3]);

    /// <summary><paramref name="server"/> answers after <paramref name="latency"/> of fake time.</summary>
    public void Answer(IPEndPoint server, TimeSpan latency, ReturnCode code = ReturnCode.NoError) =>
        _behaviours[server] = _ =>
        {
            time.Advance(latency);
            return Task.FromResult(AnswerFrom(server, code));
        };

    /// <summary>
    /// <paramref name="server"/> answers once <paramref name="latency"/> of fake time has passed while the pool waits, or
    /// never if its token fires first; unlike <see cref="Answer"/>, other attempts can run in the meantime.
    /// </summary>
    public void AnswerLater(IPEndPoint server, TimeSpan latency) =>
        _behaviours[server] = async token =>
        {
            await Task.Delay(latency, time, token);
            return AnswerFrom(server);
        };

    /// <summary><paramref name="server"/> never answers; the exchange ends only when its token fires.</summary>
    public void Silent(IPEndPoint server) =>
        _behaviours[server] = token =>
        {
            var never = new TaskCompletionSource<UpstreamAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            token.Register(() => never.TrySetCanceled(token));
            return never.Task;
        };

    /// <summary><paramref name="server"/> fails at once, as a refused connection does.</summary>
    public void Refuse(IPEndPoint server) =>
        _behaviours[server] = _ => Task.FromException<UpstreamAnswer>(new DnsResponseException("connection refused"));

    /// <summary>The exchange throws <paramref name="error"/>.</summary>
    public void Throw(IPEndPoint server, Exception error) =>
        _behaviours[server] = _ => Task.FromException<UpstreamAnswer>(error);

    /// <summary>The <c>UpstreamExchange</c> the pool under test drives.</summary>
    public Task<UpstreamAnswer> ExchangeAsync(UpstreamTarget server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new UpstreamCall(server.EndPoint, question, flags, time.GetUtcNow(), cancellationToken));
        return _behaviours[server.EndPoint](cancellationToken);
    }
}

/// <summary>One question an upstream received, with the fake time it arrived.</summary>
internal sealed record UpstreamCall(IPEndPoint Server, DnsQuestion Question, UpstreamRequestFlags Flags, DateTimeOffset At, CancellationToken Token)
{
    public bool IsProbe => Question.RecordType == RecordType.Ns && Question.Name.Equals(DomainName.Root);
}
