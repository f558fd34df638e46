using System.Diagnostics;

namespace NationalDns.UnitTests.Policy;

/// <summary>Waits for a condition by polling it, up to a deadline; never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<bool> Holds(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(5);
        }

        return condition();
    }
}
