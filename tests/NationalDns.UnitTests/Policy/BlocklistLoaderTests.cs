using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.UnitTests.Policy;

public sealed class BlocklistLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeFileReader _reader = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_path_fails_the_initial_load()
    {
        var missing = _dir.Path("missing.txt");

        var ex = Assert.Throws<BlocklistException>(() => Loader(missing).Load());

        Assert.Equal($"blocklist '{missing}' not found", ex.Message);
    }

    [Fact]
    public void Unreadable_file_fails_the_initial_load()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        _reader.Fail(path, new UnauthorizedAccessException("permission denied"));

        var ex = Assert.Throws<BlocklistException>(() => Loader(_dir.Path("lists")).Load());

        Assert.Equal($"cannot read blocklist '{path}': permission denied", ex.Message);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_with_its_size_and_the_others_load()
    {
        _dir.Write("lists/a.txt", "a.example");
        var big = _dir.Write("lists/big.txt", [.. Enumerable.Range(0, 100_000).Select(i => $"n{i}.example")]);
        var loader = new BlocklistLoader([_dir.Path("lists")], BlockAction.NxDomain, maxListSize: 1 << 20);

        var snapshot = loader.Load();

        Assert.True(snapshot.Rules.Blocks("a.example"));
        Assert.False(snapshot.Rules.Blocks("n1.example"));
        Assert.Equal([$"blocklist '{big}' is 1 MB, over --max-list-size (1 MB); not loaded"], snapshot.Failures);
    }

    [Fact]
    public void A_file_refused_for_its_size_before_it_was_ever_read_is_no_list_in_force()
    {
        _dir.Write("lists/a.txt", "a.example");
        _dir.Write("lists/big.txt", [.. Enumerable.Range(0, 100_000).Select(i => $"n{i}.example")]);
        var both = new BlocklistLoader([_dir.Path("lists")], BlockAction.NxDomain, maxListSize: 1 << 20);
        var onlyBig = new BlocklistLoader([_dir.Path("lists/big.txt")], BlockAction.NxDomain, maxListSize: 1 << 20);

        var withA = both.Load();
        var without = onlyBig.Load();

        Assert.Equal((1, false), (withA.FilesInForce, both.HasNoListInForce));
        Assert.Equal((0, true), (without.FilesInForce, onlyBig.HasNoListInForce)); // every name would be forwarded: loud
        Assert.Null(Assert.Single(without.Files).NotInForce); // its read error says why, not a group
    }

    [Fact]
    public void A_file_of_random_bytes_keeps_its_first_thousand_bad_lines_and_counts_the_rest()
    {
        var random = new Random(13);
        var garbage = new byte[4 << 20];
        random.NextBytes(garbage);
        var path = _dir.Path("random.bin");
        File.WriteAllBytes(path, garbage);
        var lines = garbage.Count(b => b == (byte)'\n') + 1;

        var report = Assert.Single(Loader(path).Load().Files);

        Assert.Equal(1001, report.Problems.Count);
        Assert.All(report.Problems, p => Assert.InRange(p.Reason.Length, 1, 515));
        var closing = report.Problems[^1].Reason;
        Assert.Matches(@"^\d+ more bad lines not listed \(the first 1000 are\)$", closing);
        Assert.InRange(int.Parse(closing.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), 1, lines - 1000);
    }

    [Fact]
    public void Initial_load_reports_every_file_and_the_totals()
    {
        _dir.Write("lists/a.txt", "a.example", "b.example", "@@ok.a.example", "bad..example");
        _dir.Write("lists/b.txt", "c.example", "a.example refused");
        var extra = _dir.Write("extra.txt", "d.example");
        var lists = _dir.Path("lists");

        var snapshot = Loader(lists, extra).Load();

        Assert.Equal(
            [new($"{lists}/a.txt", 2, 1), new($"{lists}/b.txt", 2, 0), new(extra, 1, 0)],
            snapshot.Files.Select(f => (f.DisplayPath, f.RuleCount, f.ExceptionCount)).ToList<(string, int, int)>());
        Assert.Equal((4, 1), (snapshot.RuleCount, snapshot.ExceptionCount));
        Assert.Equal([$"{lists}/a.txt:4: invalid name 'bad..example': empty label"], snapshot.Problems.Select(p => p.ToString()));
        Assert.Equal([$"{lists}/b.txt:2: duplicate rule 'a.example' overrides {lists}/a.txt:1"], snapshot.Warnings.Select(p => p.ToString()));
        Assert.Equal(BlockAction.Refused, snapshot.Rules.Match("x.a.example")!.Action);
        Assert.Empty(snapshot.Errors);
    }

    [Fact]
    public void Reload_without_changes_returns_nothing()
    {
        _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        Assert.Null(loader.Reload());
        Assert.Null(loader.Reload());
    }

    [Fact]
    public void Edited_file_is_read_once_it_held_still_for_one_poll()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        _dir.Write("lists/a.txt", "a.example", "b.example");

        Assert.Null(loader.Reload());
        Assert.True(loader.HasPendingChanges);
        var reload = loader.Reload();
        Assert.NotNull(reload);
        Assert.False(loader.HasPendingChanges);
        Assert.Equal($"rules +1 -0; changed: {path}", reload.Change.ToString());
        Assert.True(reload.Snapshot.Rules.Blocks("b.example"));
        Assert.Same(reload.Snapshot, loader.Current);
    }

    [Theory]
    [InlineData("rules +0 -0", "c.example", "a.example", "b.example", "d.example")]
    [InlineData("rules +1 -1", "a.example", "b.example refused", "c.example", "d.example")]
    [InlineData("rules +1 -2", "a.example", "x.example", "d.example")]
    [InlineData("rules +0 -4")]
    public void Rule_counts_compare_pattern_and_action_not_line_numbers(string expected, params string[] lines)
    {
        var path = _dir.Write("lists/a.txt", "a.example", "b.example", "c.example", "d.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        _dir.Write("lists/a.txt", ["# edited", .. lines]);
        var reload = Settle(loader);

        Assert.Equal($"{expected}; changed: {path}", reload.Change.ToString());
    }

    [Fact]
    public void Added_file_is_loaded()
    {
        _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        var added = _dir.Write("lists/new.txt", "new.example", "bad!.example");
        var reload = Settle(loader);

        Assert.Equal($"rules +1 -0; files added: {added}", reload.Change.ToString());
        Assert.Equal([$"{added}:2: invalid name 'bad!.example': invalid character '!'"], reload.Change.NewProblems.Select(p => p.ToString()));
        Assert.True(reload.Snapshot.Rules.Blocks("new.example"));
        Assert.True(reload.Snapshot.Rules.Blocks("a.example"));
    }

    [Fact]
    public void Deleted_file_loses_its_rules_once_it_stays_gone_for_a_second_poll()
    {
        _dir.Write("lists/a.txt", "a.example");
        var gone = _dir.Write("lists/b.txt", "b.example", "b2.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        File.Delete(gone);

        Assert.Null(loader.Reload());
        var reload = loader.Reload();
        Assert.NotNull(reload);
        Assert.Equal($"rules +0 -2; removed: {gone}", reload.Change.ToString());
        Assert.False(reload.Snapshot.Rules.Blocks("b.example"));
        Assert.True(reload.Snapshot.Rules.Blocks("a.example"));
        Assert.Single(reload.Snapshot.Files);
    }

    [Fact]
    public void Renamed_file_moves_its_rules_without_a_gap()
    {
        var before = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        var after = _dir.Path("lists/renamed.txt");
        File.Move(before, after);

        Assert.Null(loader.Reload());
        Assert.True(loader.Current!.Rules.Blocks("a.example"));
        var reload = loader.Reload();
        Assert.NotNull(reload);
        Assert.Equal($"rules +1 -1; files added: {after}; removed: {before}", reload.Change.ToString());
        Assert.True(reload.Snapshot.Rules.Blocks("a.example"));
    }

    [Fact]
    public void File_saved_by_writing_a_temp_file_and_renaming_it_over_the_old_one_is_reloaded()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        var temp = _dir.Write("lists/a.txt.tmp", "a.example", "b.example", "c.example");
        File.Move(temp, path, overwrite: true);
        var reload = Settle(loader);

        Assert.Equal($"rules +2 -0; changed: {path}", reload.Change.ToString());
        Assert.True(reload.Snapshot.Rules.Blocks("c.example"));
    }

    [Fact]
    public void Truncate_then_write_ends_in_the_final_content_without_publishing_the_empty_file()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        using (var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write))
        {
            stream.Flush();
            Assert.Null(loader.Reload());
            stream.Write("a.example\nb.example\n"u8);
        }

        Assert.Null(loader.Reload());
        var reload = loader.Reload();
        Assert.NotNull(reload);
        Assert.Equal(2, reload.Snapshot.RuleCount);
        Assert.Equal($"rules +1 -0; changed: {path}", reload.Change.ToString());
    }

    [Fact]
    public void File_that_changes_while_it_is_read_is_not_published_until_it_holds_still()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();
        _dir.Write("lists/a.txt", "half.example");
        Assert.Null(loader.Reload());

        _reader.DuringNextRead = p => File.AppendAllText(p, "whole.example\n");

        Assert.Null(loader.Reload());
        Assert.True(loader.Current!.Rules.Blocks("a.example"));
        var reload = Settle(loader);
        Assert.Equal(2, reload.Snapshot.RuleCount);
        Assert.True(reload.Snapshot.Rules.Blocks("whole.example"));
        Assert.False(reload.Snapshot.Rules.Blocks("a.example"));
        Assert.Equal($"rules +2 -1; changed: {path}", reload.Change.ToString());
    }

    [Fact]
    public void Unreadable_file_keeps_its_last_good_rules_and_reports_the_error_once()
    {
        var path = _dir.Write("lists/a.txt", "a.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        _dir.Write("lists/a.txt", "b.example");
        _reader.Fail(path, new UnauthorizedAccessException("permission denied"));
        var reload = Settle(loader);

        var error = $"cannot read blocklist '{path}': permission denied";
        Assert.Equal($"rules +0 -0; failed: {path}", reload.Change.ToString());
        Assert.Equal([error], reload.Change.Errors);
        Assert.True(reload.Snapshot.Rules.Blocks("a.example"));
        Assert.False(reload.Snapshot.Rules.Blocks("b.example"));
        var report = Assert.Single(reload.Snapshot.Files);
        Assert.Equal((1, error), (report.RuleCount, report.ReadError));
        Assert.Null(loader.Reload());
        Assert.Null(loader.Reload());

        _reader.Heal(path);
        var healed = Settle(loader);

        Assert.Equal($"rules +1 -1; changed: {path}", healed.Change.ToString());
        Assert.True(healed.Snapshot.Rules.Blocks("b.example"));
        Assert.Null(healed.Snapshot.Files.Single().ReadError);
    }

    [Fact]
    public void Deleted_folder_loses_its_rules_and_is_reported()
    {
        var lists = _dir.Path("lists");
        var gone = _dir.Write("lists/a.txt", "a.example");
        var kept = _dir.Write("kept.txt", "kept.example");
        var loader = Loader(lists, kept);
        loader.Load();

        Directory.Delete(lists, recursive: true);

        Assert.Null(loader.Reload());
        var reload = loader.Reload();
        Assert.NotNull(reload);
        Assert.Equal($"rules +0 -1; removed: {gone}; failed: {lists}", reload.Change.ToString());
        Assert.Equal([$"blocklist '{lists}' not found"], reload.Snapshot.Errors);
        Assert.False(reload.Snapshot.Rules.Blocks("a.example"));
        Assert.True(reload.Snapshot.Rules.Blocks("kept.example"));
    }

    [Fact]
    public void New_duplicate_is_reported_once_as_a_new_problem()
    {
        _dir.Write("lists/a.txt", "a.example");
        var second = _dir.Write("lists/b.txt", "b.example");
        var loader = Loader(_dir.Path("lists"));
        loader.Load();

        _dir.Write("lists/b.txt", "b.example", "a.example");
        var reload = Settle(loader);

        Assert.Equal(
            [$"{second}:2: duplicate rule 'a.example' overrides {_dir.Path("lists/a.txt")}:1"],
            reload.Change.NewProblems.Select(p => p.ToString()));
        Assert.Equal(new RuleSource(second, 2), reload.Snapshot.Rules.Match("a.example")!.Source);
    }

    [Fact]
    public void Reload_before_load_is_refused()
    {
        _dir.Write("lists/a.txt", "a.example");

        Assert.Throws<InvalidOperationException>(() => Loader(_dir.Path("lists")).Reload());
    }

    private BlocklistLoader Loader(params string[] paths) => new(paths, BlockAction.NxDomain, _reader.OpenRead);

    /// <summary>Polls until a reload reports a change; a change needs at most three polls to settle.</summary>
    private static BlocklistReload Settle(BlocklistLoader loader)
    {
        for (var poll = 0; poll < 3; poll++)
        {
            if (loader.Reload() is { } reload)
            {
                return reload;
            }
        }

        throw new Xunit.Sdk.XunitException("no change after three polls");
    }
}
