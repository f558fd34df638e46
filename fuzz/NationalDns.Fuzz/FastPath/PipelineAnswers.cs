using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Server.FastPath;
using NationalDns.Server.Hosting;

namespace NationalDns.Fuzz.FastPath;

/// <summary>The answers the full pipeline gives for the same query, which the fast path's bytes must equal.</summary>
internal static class PipelineAnswers
{
    /// <summary>
    /// A blocked name: the fast answer must read as <see cref="BlockedResponses"/>' message for the rule; one about to be
    /// sent, as that message fitted to the client by <see cref="UdpQueryHandler.Encode"/>.
    /// </summary>
    public static void CheckBlocked(byte[] query, in WireQuery parsed, ReadOnlySpan<byte> fast, BlockRule rule, BlockingOptions options, bool toBeSent)
    {
        var fullQuery = AnswerChecks.ParseQuery(query);
        var response = new BlockedResponses(options).Create(fullQuery, rule, fullQuery.Questions[0].Name)
            ?? throw new InvariantViolationException($"the fast path answered {rule.Action} where the pipeline sends nothing");
        var expected = toBeSent ? DnsMessage.Parse(UdpQueryHandler.Encode(fullQuery, response).ToArray()) : response;
        var actual = AnswerChecks.CheckAnswer(query, parsed, fast, toBeSent);
        var (want, got) = (AnswerChecks.Describe(expected), AnswerChecks.Describe(actual));
        InvariantViolationException.ThrowUnless(want == got, $"fast blocked answer differs from the pipeline's:\n--- pipeline\n{want}\n--- fast\n{got}");
    }

    /// <summary>A cache hit: the fast answer must be, byte for byte, the caching stage's response as the UDP handler sends it.</summary>
    public static void CheckCached(byte[] query, in WireQuery parsed, ReadOnlySpan<byte> fast, ResponseCache cache)
    {
        var fullQuery = AnswerChecks.ParseQuery(query);
        if (!cache.TryFind(CacheKey.For(fullQuery), out var entry, out var age))
        {
            throw new InvariantViolationException("the fast path answered from the cache what the caching stage finds no entry for");
        }

        var expected = UdpQueryHandler.Encode(fullQuery, entry.CreateResponse(fullQuery, age));
        AnswerChecks.CheckAnswer(query, parsed, fast, toBeSent: true);
        InvariantViolationException.ThrowUnless(
            fast.SequenceEqual(expected.AsSpan()),
            $"fast cached answer differs from the caching stage's:\n--- pipeline\n{Convert.ToHexString(expected)}\n--- fast\n{Convert.ToHexString(fast)}");
    }
}
