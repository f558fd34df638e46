using System.Globalization;

namespace NationalDns.Core.Resolution;

/// <summary>How one attempt at one upstream ended.</summary>
internal enum AttemptOutcome
{
    /// <summary>An answer to pass on: any response code but SERVFAIL.</summary>
    Answered,

    /// <summary>The upstream answered SERVFAIL: a failure, but an answer the client may still get.</summary>
    ServerFailure,

    /// <summary>No answer within the attempt's share of the time budget.</summary>
    TimedOut,

    /// <summary>The exchange failed: refused connection, network error, malformed response.</summary>
    Failed,
}

/// <summary>The outcome of one attempt, with how long it took and the answer or the error.</summary>
internal readonly record struct AttemptResult(AttemptOutcome Outcome, TimeSpan Elapsed, UpstreamAnswer? Answer = null, Exception? Error = null)
{
    /// <summary>Whether a response arrived, so <see cref="Elapsed"/> is a response time.</summary>
    public bool HasResponse => Outcome is AttemptOutcome.Answered or AttemptOutcome.ServerFailure;

    /// <summary>A few words for logs and error messages.</summary>
    public string Describe() => Outcome switch
    {
        AttemptOutcome.Answered => $"answered {Answer?.ReturnCode}",
        AttemptOutcome.ServerFailure => "answered SERVFAIL",
        AttemptOutcome.TimedOut => string.Create(CultureInfo.InvariantCulture, $"no answer within {Elapsed.TotalMilliseconds:0} ms"),
        _ => Error?.Message ?? "failed",
    };
}
