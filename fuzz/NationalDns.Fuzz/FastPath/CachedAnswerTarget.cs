using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Caching;
using NationalDns.Core.Policy;
using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>
/// <see cref="CachedAnswerWriter"/> on its own. Input: an answer selector, an age in seconds, then the datagram. The
/// chosen upstream answer is cached for the query's own question, the clock moved on by the age, and whatever the
/// writer answers must fit the client and equal, byte for byte, what the caching stage sends for the same query.
/// </summary>
internal sealed class CachedAnswerTarget : IFuzzTarget
{
    private static readonly RuleSet Rules = FastPathFixtures.Rules(FastPathFixtures.EveryAction);

    public string Name => "cached-answer";

    public void Run(byte[] input)
    {
        Span<char> buffer = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        if (!SelectedQuery.TryRead(input, buffer, labelOffsets, out var query, out var parsed))
        {
            return;
        }

        var name = buffer[..parsed.NameLength];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 2, 12, 0, 0, 0, TimeSpan.Zero));
        var cache = new ResponseCache(new CacheOptions { MaxEntries = 16 }, time);
        if (!FastPathFixtures.Store(cache, input[0], name.ToString(), (RecordType)parsed.QueryType, parsed.DnssecOk, parsed.CheckingDisabled))
        {
            return;
        }

        time.Advance(TimeSpan.FromSeconds(input[1] % 64));
        var answer = new byte[ushort.MaxValue];
        var length = new CachedAnswerWriter(cache).TryWrite(query, parsed, name, Rules, new RuleContext(time.GetUtcNow()), answer);
        if (length == IUdpFastPath.NotHandled)
        {
            return;
        }

        PipelineAnswers.CheckCached(query, parsed, answer.AsSpan(0, length), cache);
    }
}
