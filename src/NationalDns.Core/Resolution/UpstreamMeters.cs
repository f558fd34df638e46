using System.Diagnostics.Metrics;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Per-upstream measurements as <see cref="System.Diagnostics.Metrics"/> instruments, so Core needs no metrics
/// library: the response time of every attempt that got a response, and every failed attempt (timeout, network
/// error, SERVFAIL). Both carry the upstream as <c>IP:port</c> in the <see cref="UpstreamTag"/> tag; failures also
/// carry <see cref="ReasonTag"/> (<c>timeout</c>, <c>error</c>, <c>servfail</c>). The exporter listens to
/// <see cref="MeterName"/>.
/// </summary>
public sealed class UpstreamMeters
{
    public const string MeterName = "NationalDns.Upstream";
    public const string DurationName = "nationaldns.upstream.duration";
    public const string ErrorsName = "nationaldns.upstream.errors";
    public const string UpstreamTag = "upstream";
    public const string ReasonTag = "reason";
    public const string MismatchedName = "nationaldns.upstream.mismatched_replies";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _mismatched;

    public UpstreamMeters(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram<double>(DurationName, "s", "Response time of upstream attempts that got a response.");
        _errors = meter.CreateCounter<long>(ErrorsName, description: "Upstream attempts that timed out, failed or answered SERVFAIL.");
        _mismatched = meter.CreateCounter<long>(MismatchedName, description: "Datagrams and frames that were not the reply to the query sent (wrong ID, question, letter case, QR or opcode; malformed), ignored.");
    }

    internal void Record(UpstreamServer server, AttemptResult result)
    {
        if (!_duration.Enabled && !_errors.Enabled)
        {
            return;
        }

        var upstream = new KeyValuePair<string, object?>(UpstreamTag, server.Label);
        if (result.HasResponse)
        {
            _duration.Record(result.Elapsed.TotalSeconds, upstream);
        }

        var reason = result.Outcome switch
        {
            AttemptOutcome.TimedOut => "timeout",
            AttemptOutcome.Failed => "error",
            AttemptOutcome.ServerFailure => "servfail",
            _ => null,
        };
        if (reason is not null)
        {
            _errors.Add(1, upstream, new KeyValuePair<string, object?>(ReasonTag, reason));
        }
    }

    internal void RecordMismatch(UpstreamTarget server, Wire.ReplyMatch match)
    {
        if (_mismatched.Enabled)
        {
            _mismatched.Add(1, new KeyValuePair<string, object?>(UpstreamTag, server.EndPoint.ToString()), new KeyValuePair<string, object?>(ReasonTag, MismatchReason(match)));
        }
    }

    private static string MismatchReason(Wire.ReplyMatch match) => match switch
    {
        Wire.ReplyMatch.WrongId => "id",
        Wire.ReplyMatch.NotAResponse => "qr",
        Wire.ReplyMatch.WrongOpcode => "opcode",
        Wire.ReplyMatch.WrongQuestion => "question",
        Wire.ReplyMatch.CaseMismatch => "case",
        _ => "malformed",
    };
}
