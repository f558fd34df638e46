using System.Globalization;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Cli;

/// <summary>
/// What the server would send for one decision, in words and as <c>dig</c> would print it: the one text both the command
/// line's <c>explain</c> and the API's <c>/api/explain</c> give, so the two cannot describe different answers.
/// </summary>
internal static class ExplainAnswer
{
    public const string Forwarded = "forwarded to the upstream, whose answer is returned unchanged";

    /// <summary>One word or phrase for the verdict (<c>forwarded</c>, <c>allowed by exception</c>, <c>throttled</c>, <c>blocked</c>).</summary>
    public static string Verdict(in PolicyDecision decision) => decision.Verdict switch
    {
        PolicyVerdict.NoRule => "forwarded",
        PolicyVerdict.Exception => "allowed by exception",
        PolicyVerdict.Throttled => "throttled",
        _ when decision.IsRegime => "on no allowlist of the group",
        _ => "blocked",
    };

    /// <summary>
    /// The answer as text: the upstream's for a forwarded name, the delay and loss for a throttled one, and for a blocked one
    /// the exact message (an EDNS query, so the Extended DNS Error shows), over UDP and TCP for <c>tcp-only</c>.
    /// </summary>
    public static string Text(in PolicyDecision decision, string name, RecordType type, BlockedResponses responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var rule = decision.Rule;
        switch (decision.Verdict)
        {
            case PolicyVerdict.NoRule or PolicyVerdict.Exception:
                return Forwarded;
            case PolicyVerdict.Throttled:
                return Throttle(rule!.Action.Throttle ?? default);
        }

        var query = new DnsMessage { TransactionID = 0, IsRecursionDesired = true, IsEDnsEnabled = true };
        var domain = DomainName.Parse(name);
        query.Questions.Add(new DnsQuestion(domain, type, RecordClass.INet));
        var response = responses.Create(query, rule!, domain);
        var answer = response is null ? "no answer is sent (the client times out)\n" : DigText.Format(response);
        return rule!.Action.Kind == BlockActionKind.TcpOnly
            ? $"over UDP, truncated so the client retries over TCP:\n{answer}over TCP: {Forwarded}\n"
            : answer;
    }

    private static string Throttle(ThrottleSettings throttle)
    {
        var delay = ActionDurations.Format(throttle.Delay);
        var jitter = throttle.Jitter > TimeSpan.Zero ? $" ± {ActionDurations.Format(throttle.Jitter)} (uniform)" : string.Empty;
        var loss = throttle.LossPercent > 0
            ? $"; {throttle.LossPercent.ToString("0.###", CultureInfo.InvariantCulture)}% of queries get no answer at all (which ones follows from --seed)"
            : string.Empty;
        return $"forwarded to the upstream after {delay}{jitter}, whose answer is returned unchanged{loss}";
    }
}
