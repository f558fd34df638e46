using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.UnitTests.Policy;

public sealed class BlocklistWatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _dir = new();
    private readonly FakeFileReader _reader = new();
    private readonly CollectingLogger<BlocklistWatcher> _logger = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    // On the real clock: polls every 200 ms, and a change is read once it has held still for half a poll, so an
    // edit lands in 200-300 ms (measured). The bound allows for a CI machine running other test assemblies on the
    // same 2 cores; a watcher that missed the edit, or waited a poll too many each time, still fails it.
    [Fact]
    public async Task An_edit_takes_effect_on_the_real_clock_within_two_seconds()
    {
        _dir.Write("lists/a.txt", "a.example");
        var (loader, holder) = Load();
        var watcher = new BlocklistWatcher(loader, holder, TimeProvider.System, _logger);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            _dir.Write("lists/a.txt", "a.example", "b.example");
            var sinceEdit = Stopwatch.StartNew();

            Assert.True(await Eventually.TrueAsync(() => holder.Current.Blocks("b.example"), TimeSpan.FromSeconds(2)));
            Assert.InRange(sinceEdit.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Start_logs_the_initial_load_and_its_bad_lines()
    {
        var path = _dir.Write("lists/a.txt", "a.example", "@@ok.a.example", "bad..example");
        var (loader, holder) = Load();

        await RunWatcher(loader, holder, () => _logger.At(LogLevel.Warning).Any());

        Assert.Equal(["Blocklists loaded: 1 rules, 1 exceptions from 1 file"], _logger.At(LogLevel.Information));
        Assert.Equal([$"{path}:3: invalid name 'bad..example': empty label"], _logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Reload_is_published_and_logged_with_what_changed_and_each_bad_line()
    {
        _dir.Write("lists/a.txt", "a.example");
        var (loader, holder) = Load();
        var added = _dir.Write("lists/b.txt", "b.example", "c.example nxdomian");

        await RunWatcher(loader, holder, () => holder.Current.Blocks("b.example"));

        Assert.Contains($"Blocklists reloaded: rules +1 -0; files added: {added} (now 2 rules, 0 exceptions)", _logger.At(LogLevel.Information));
        Assert.Equal(
            [$"{added}:2: unknown action 'nxdomian' (expected one of: {BlockAction.Keywords})"],
            _logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Unreadable_file_is_logged_as_an_error_and_its_last_good_rules_keep_serving()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var (loader, holder) = Load();
        var before = holder.Current;
        _dir.Write("lists/a.txt", "b.example");
        _reader.Fail(path, new UnauthorizedAccessException("permission denied"));

        await RunWatcher(loader, holder, () => _logger.At(LogLevel.Error).Any());

        Assert.Equal([$"cannot read blocklist '{path}': permission denied"], _logger.At(LogLevel.Error));
        Assert.True(holder.Current.Blocks("a.example"));
        Assert.False(holder.Current.Blocks("b.example"));
        Assert.NotSame(before, holder.Current);
    }

    [Fact]
    public async Task A_list_made_unreadable_by_its_permissions_alone_is_noticed_and_the_status_stays_failed_while_others_reload()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        _dir.Write("lists/b.txt", "b.example");
        var (loader, holder) = Load();
        var status = new BlocklistReloadStatus();

        // Only the mode changes, as with chmod 000; the read is refused by the reader too, since root reads such a file.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.None);
        }
        _reader.Fail(path, new UnauthorizedAccessException("permission denied"));
        bool? failedAfterError = null;
        await RunWatcher(
            loader,
            holder,
            () =>
            {
                if (failedAfterError is null && _logger.At(LogLevel.Error).Any())
                {
                    failedAfterError = !status.LastSucceeded;
                    _dir.Write("lists/b.txt", "b.example", "c.example");
                }

                return holder.Current.Blocks("c.example");
            },
            status);

        Assert.True(failedAfterError);
        Assert.False(status.LastSucceeded);
        Assert.Equal([$"cannot read blocklist '{path}': permission denied"], _logger.At(LogLevel.Error));
        Assert.True(holder.Current.Blocks("a.example"));
    }

    [Fact]
    public async Task A_FIFO_appearing_in_the_folder_is_warned_about_once_and_edits_beside_it_still_load()
    {
        _dir.Write("lists/a.txt", "a.example");
        var (loader, holder) = Load();
        var pipe = _dir.Path("lists/pipe.txt");
        using (var mkfifo = Process.Start("mkfifo", [pipe]))
        {
            mkfifo.WaitForExit();
        }

        _dir.Write("lists/a.txt", "a.example", "b.example");
        var editedAgain = false;
        await RunWatcher(loader, holder, () =>
        {
            if (!editedAgain && holder.Current.Blocks("b.example"))
            {
                editedAgain = true;
                _dir.Write("lists/a.txt", "a.example", "b.example", "c.example");
            }

            return holder.Current.Blocks("c.example");
        });

        Assert.Equal([$"{pipe}:0: skipped: a FIFO, not a regular file"], _logger.At(LogLevel.Warning));
        Assert.Empty(_logger.At(LogLevel.Error));
    }

    [Fact]
    public async Task Reload_that_throws_is_logged_and_the_loop_keeps_going()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var (loader, holder) = Load();
        _dir.Write("lists/a.txt", "b.example");
        var failure = new InvalidOperationException("reader bug");
        _reader.Fail(path, failure);

        await RunWatcher(loader, holder, () =>
        {
            if (_logger.At(LogLevel.Error).Any())
            {
                _reader.Heal(path);
            }

            return holder.Current.Blocks("b.example");
        });

        var crash = _logger.Entries.First(e => e.Level == LogLevel.Error);
        Assert.Equal("Blocklist reload failed; the last good rules stay in force", crash.Message);
        Assert.Same(failure, crash.Exception);
    }

    private (BlocklistLoader Loader, RuleSetHolder Holder) Load()
    {
        var loader = new BlocklistLoader([_dir.Path("lists")], BlockAction.NxDomain, _reader.OpenRead);
        return (loader, new RuleSetHolder(loader.Load().Rules));
    }

    /// <summary>Runs the watcher on fake time, ticking it until <paramref name="done"/> holds, then stops it.</summary>
    private async Task RunWatcher(BlocklistLoader loader, RuleSetHolder holder, Func<bool> done, BlocklistReloadStatus? status = null)
    {
        var interval = TimeSpan.FromMilliseconds(200);
        var watcher = new BlocklistWatcher(loader, holder, _time, _logger, interval, status);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(await Eventually.TrueAsync(
                () =>
                {
                    _time.Advance(interval);
                    return done();
                },
                Patience));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }
}
