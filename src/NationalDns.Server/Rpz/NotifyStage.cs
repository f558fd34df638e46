using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;
using NationalDns.Core.Pipeline;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Answers NOTIFY (RFC 1996) before validation, which would answer NOTIMP: a NOTIFY for the followed zone from its
/// primary's address gets NOERROR (opcode NOTIFY, question echoed) and makes the follower check the zone at once;
/// a NOTIFY from anyone else or for another zone gets REFUSED, as does one not signed with <c>--tsig-key</c> when a key
/// is set (checked by <see cref="SignedQueryGate"/>). Each is logged. Every other message passes on.
/// </summary>
public sealed partial class NotifyStage(RpzFollower follower, ILogger<NotifyStage> logger) : IQueryStage
{
    public ValueTask<QueryResult> HandleAsync(QueryContext query, QueryHandler next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);
        var message = query.Query;
        if (message.OperationCode != OperationCode.Notify)
        {
            return next(query, cancellationToken);
        }

        var options = follower.Options;
        var zone = message.Questions is [var question] ? DnsText.Name(question.Name).TrimEnd('.').ToLowerInvariant() : null;
        var client = query.Client.ToString();
        if (zone != options.Zone || !options.IsPrimary(query.Client.Address) || (options.Key is not null && !SignedQueryGate.IsVerified(query)))
        {
            var reason = zone != options.Zone ? $"not the followed zone {options.Zone}"
                : !options.IsPrimary(query.Client.Address) ? $"not from the primary {options.Primary.Address}"
                : $"not signed with TSIG key {options.Key!.Name} (over UDP)";
            Refused(logger, zone ?? "(no single question)", client, reason);
            return ValueTask.FromResult(new QueryResult(Responses.WithCode(message, ReturnCode.Refused), QueryOutcome.Rejected, Detail: $"NOTIFY {reason}"));
        }

        Accepted(logger, zone, client);
        follower.Notify();
        var response = Responses.For(message);
        response.IsRecursionAllowed = false;
        response.IsAuthoritiveAnswer = false;
        return ValueTask.FromResult(new QueryResult(response, QueryOutcome.Notified));
    }

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "NOTIFY for {Zone} from {Client}: checking the primary now")]
    private static partial void Accepted(ILogger logger, string zone, string client);

    [LoggerMessage(EventId = 72, Level = LogLevel.Warning, Message = "NOTIFY for {Zone} from {Client} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string zone, string client, string reason);
}
