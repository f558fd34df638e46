namespace NationalDns.TestSupport;

/// <summary>
/// Polls a condition until it holds or a deadline passes, for what a test waits on outside its fake clock (sockets,
/// files, other threads). Tests never sleep for a fixed time.
/// </summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20));
        }
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan? within = null) => TrueAsync(() => Task.FromResult(condition()), within);
}
