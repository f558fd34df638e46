using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Caching;

/// <summary>
/// A waiting query's result when the shared upstream answer was not stored: the leader's verdict and answer, rebuilt
/// on the follower's own query so the ID, the question's letter case, RD, CD and EDNS are its own.
/// </summary>
internal static class FollowerResults
{
    public static QueryResult Like(QueryResult leader, QueryContext follower)
    {
        if (leader.Response is not { } source)
        {
            return leader;
        }

        var response = Responses.For(follower.Query);
        response.ReturnCode = source.ReturnCode;
        response.IsAuthoritiveAnswer = source.IsAuthoritiveAnswer;
        response.IsAuthenticData = source.IsAuthenticData;
        response.AnswerRecords.AddRange(source.AnswerRecords);
        response.AuthorityRecords.AddRange(source.AuthorityRecords);
        foreach (var record in source.AdditionalRecords)
        {
            if (record is not OptRecord)
            {
                response.AdditionalRecords.Add(record);
            }
        }

        // The answer's Extended DNS Errors, even when the leader could not be sent them (it had no EDNS); otherwise the
        // options the pipeline attached to the leader's response. A query's own options are never copied.
        if (leader.ExtendedErrors is { } errors)
        {
            foreach (var error in errors)
            {
                error.AttachTo(response);
            }
        }
        else if (response.IsEDnsEnabled && source.IsEDnsEnabled)
        {
            response.EDnsOptions!.Options.AddRange(source.EDnsOptions!.Options);
        }

        return leader with { Response = response };
    }

    /// <summary>The leader's query ended in an exception: the follower gets SERVFAIL rather than waiting forever or rethrowing it.</summary>
    public static QueryResult Failed(QueryContext follower) =>
        new(Responses.ServFail(follower.Query), QueryOutcome.UpstreamFailed, Detail: "the shared upstream query failed");
}
