using System.Globalization;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// The arguments of <c>throttle DELAY [loss=P%] [jitter=J]</c>: each query is answered after <see cref="Delay"/> ± a uniform
/// <see cref="Jitter"/>, and <see cref="LossPercent"/> of queries get no answer at all.
/// </summary>
public readonly record struct ThrottleSettings(TimeSpan Delay, TimeSpan Jitter, double LossPercent)
{
    /// <summary>The longest delay a rule may ask for: longer than any client waits, and every delayed query holds memory.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>The canonical text, as a list would write it: <c>throttle 800ms loss=28% jitter=200ms</c>.</summary>
    public override string ToString()
    {
        var text = "throttle " + ActionDurations.Format(Delay);
        if (LossPercent > 0)
        {
            text += " loss=" + LossPercent.ToString("0.###", CultureInfo.InvariantCulture) + "%";
        }

        if (Jitter > TimeSpan.Zero)
        {
            text += " jitter=" + ActionDurations.Format(Jitter);
        }

        return text;
    }
}
