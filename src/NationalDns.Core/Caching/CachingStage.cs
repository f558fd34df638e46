using System.Collections.Concurrent;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Caching;

/// <summary>
/// Answers repeated questions from <see cref="ResponseCache"/> and keeps what forwarding brings back. It sits below the
/// blocklist, so a rule applies at once even to names already cached, and above forwarding, so only upstream answers
/// are stored. A hit is answered on the client's own query (ID, letter case, RD, CD, EDNS) with outcome
/// <see cref="QueryOutcome.Cached"/> and every TTL counted down. Concurrent misses for the same key make one call to
/// the rest of the pipeline; the others wait for it and answer from what it brought back.
/// </summary>
public sealed class CachingStage : IQueryStage
{
    private readonly ResponseCache _cache;
    private readonly ConcurrentDictionary<CacheKey, Flight> _flights = new();

    public CachingStage(ResponseCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        if (!_cache.IsEnabled)
        {
            return next(query, cancellationToken);
        }

        var key = CacheKey.For(query.Query);
        if (_cache.TryGet(key, out var entry, out var age))
        {
            return ValueTask.FromResult(new QueryResult(entry.CreateResponse(query.Query, age), QueryOutcome.Cached));
        }

        // With RD=0 the upstream answers from whatever it happens to hold (or with a referral): such an answer may be
        // served to the client that asked for it, but never kept for, or shared with, clients that want recursion.
        if (!query.Query.IsRecursionDesired)
        {
            return next(query, cancellationToken);
        }

        return ResolveOnceAsync(key, query, next, cancellationToken);
    }

    private async ValueTask<QueryResult> ResolveOnceAsync(CacheKey key, QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_flights.TryGetValue(key, out var flight))
            {
                var mine = new Flight();
                if (_flights.TryAdd(key, mine))
                {
                    return await LeadAsync(key, mine, query, next, cancellationToken);
                }

                continue;
            }

            _cache.Counters.CountCoalesced();
            var answer = await flight.Landing.WaitAsync(cancellationToken);
            if (answer is not null)
            {
                return answer(query);
            }

            // The leader was cancelled before an answer came: start again, and one of the waiting queries leads.
        }
    }

    private async ValueTask<QueryResult> LeadAsync(CacheKey key, Flight flight, QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        // Unless the leader finishes normally or is cancelled, its followers get SERVFAIL: never a hang.
        FollowerAnswer? answer = FollowerResults.Failed;
        try
        {
            // An identical flight may have landed between this query's lookup and its taking the lead.
            if (_cache.TryFind(key, out var landed, out var age))
            {
                answer = FromEntry(landed, QueryOutcome.Cached);
                return new QueryResult(landed.CreateResponse(query.Query, age), QueryOutcome.Cached);
            }

            var result = await next(query, cancellationToken);
            answer = AnswerFor(key, result);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            answer = null;
            throw;
        }
        finally
        {
            // Leave the table first: a query arriving from now on finds the stored entry, or starts its own flight.
            _flights.TryRemove(new KeyValuePair<CacheKey, Flight>(key, flight));
            flight.Land(answer);
        }
    }

    private FollowerAnswer AnswerFor(CacheKey key, QueryResult result)
    {
        var entry = result is { Outcome: QueryOutcome.Forwarded, Response: { } response } ? _cache.TryStore(key, response) : null;
        if (entry is null)
        {
            return follower => FollowerResults.Like(result, follower);
        }

        // Followers share the leader's verdict and upstream: their answer came from this very upstream round trip.
        return FromEntry(entry, result.Outcome, result.Upstream);
    }

    private FollowerAnswer FromEntry(CacheEntry entry, QueryOutcome outcome, string? upstream = null) =>
        follower => new QueryResult(entry.CreateResponse(follower.Query, _cache.AgeOf(entry)), outcome) { Upstream = upstream };
}
