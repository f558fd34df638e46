namespace NationalDns.IntegrationTests.Transport;

/// <summary>Waits for a condition instead of sleeping: checks it often, gives up at a deadline.</summary>
internal static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(10);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        var giveUpAt = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException("The condition did not become true before the deadline.");
            }

            await Task.Delay(s_interval);
        }
    }
}
