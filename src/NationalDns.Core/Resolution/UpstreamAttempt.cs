using System.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Resolution;

/// <summary>Runs one exchange with one upstream under a time limit and classifies how it ended.</summary>
internal static class UpstreamAttempt
{
    /// <summary>
    /// Asks <paramref name="server"/> and waits at most <paramref name="timeout"/>, measured with <paramref name="timeProvider"/>.
    /// The caller's cancellation surfaces as <see cref="OperationCanceledException"/> and an <see cref="UpstreamException"/>
    /// from the exchange passes through; every other way of ending is an <see cref="AttemptResult"/>.
    /// </summary>
    public static async Task<AttemptResult> RunAsync(
        UpstreamExchange exchange,
        UpstreamTarget server,
        DnsQuestion question,
        UpstreamRequestFlags flags,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var deadline = new AttemptDeadline(timeout, timeProvider, cancellationToken);
        return await RunAsync(exchange, server, question, flags, deadline, timeProvider, cancellationToken);
    }

    /// <summary>
    /// As above, until <paramref name="deadline"/> fires; the caller owns it. A deadline that fired without the caller's
    /// cancellation ends the attempt as <see cref="AttemptOutcome.TimedOut"/>.
    /// </summary>
    public static async Task<AttemptResult> RunAsync(
        UpstreamExchange exchange,
        UpstreamTarget server,
        DnsQuestion question,
        UpstreamRequestFlags flags,
        AttemptDeadline deadline,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        Task<UpstreamAnswer>? pending = null;
        try
        {
            pending = exchange(server, question, flags, deadline.Token);

            // WaitAsync bounds the wait even if the exchange were to overrun its token.
            var answer = await pending.WaitAsync(deadline.Token);
            var outcome = answer.ReturnCode == ReturnCode.ServerFailure ? AttemptOutcome.ServerFailure : AttemptOutcome.Answered;
            return new AttemptResult(outcome, timeProvider.GetElapsedTime(started), answer);
        }
        catch (UpstreamException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ObserveAbandoned(pending);
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = deadline.HasFired ? AttemptOutcome.TimedOut : AttemptOutcome.Failed;
            return new AttemptResult(outcome, timeProvider.GetElapsedTime(started), Error: ex);
        }
    }

    /// <summary>An exchange given up on may still fail later; observe that so it never surfaces as an unobserved task exception.</summary>
    private static void ObserveAbandoned(Task<UpstreamAnswer>? pending)
    {
        if (pending is { IsCompleted: false })
        {
            _ = pending.ContinueWith(
                static task => _ = task.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }
}
