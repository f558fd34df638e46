using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.UnitTests.Policy;

public sealed class BlocklistFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void File_path_expands_to_itself_shown_as_configured()
    {
        var path = _dir.Write("national.txt", "a.example");

        var file = Assert.Single(BlocklistFiles.Expand(path));

        Assert.Equal(new BlocklistFile(path, path), file);
    }

    [Fact]
    public void Folder_expands_to_its_files_recursively_in_ordinal_order()
    {
        _dir.Write("lists/b.txt");
        _dir.Write("lists/A.txt");
        _dir.Write("lists/sub/c.txt");
        _dir.Write("lists/a.txt");
        var lists = _dir.Path("lists");

        var files = BlocklistFiles.Expand(lists);

        Assert.Equal(
            [$"{lists}/A.txt", $"{lists}/a.txt", $"{lists}/b.txt", $"{lists}/sub/c.txt"],
            files.Select(f => f.DisplayPath));
        Assert.All(files, f => Assert.Equal(f.DisplayPath, f.FullPath));
    }

    [Fact]
    public void Display_path_keeps_the_path_as_configured()
    {
        _dir.Write("lists/national.txt");

        var file = Assert.Single(BlocklistFiles.Expand(_dir.Path("lists") + "/"));

        Assert.Equal(_dir.Path("lists") + "/national.txt", file.DisplayPath);
    }

    [Fact]
    public void Hidden_entries_and_editor_leftovers_are_skipped()
    {
        _dir.Write("lists/keep.txt");
        _dir.Write("lists/.hidden.txt");
        _dir.Write("lists/.git/config");
        _dir.Write("lists/keep.txt~");
        _dir.Write("lists/.keep.txt.swp");
        _dir.Write("lists/keep.swp");
        _dir.Write("lists/save.TMP");
        _dir.Write("lists/#keep.txt#");
        _dir.Write("lists/sub/.hidden/deep.txt");
        _dir.Write("lists/sub/kept.txt");

        var files = BlocklistFiles.Expand(_dir.Path("lists"));

        Assert.Equal(["keep.txt", "sub/kept.txt"], files.Select(f => Path.GetRelativePath(_dir.Path("lists"), f.DisplayPath)));
    }

    [Fact]
    public void Symlinked_file_is_followed_but_dangling_links_and_folder_links_are_not()
    {
        var target = _dir.Write("elsewhere/real.txt", "a.example");
        _dir.Write("elsewhere/inner/deep.txt", "b.example");
        Directory.CreateDirectory(_dir.Path("lists"));
        File.CreateSymbolicLink(_dir.Path("lists/linked.txt"), target);
        File.CreateSymbolicLink(_dir.Path("lists/dangling.txt"), _dir.Path("nowhere.txt"));
        Directory.CreateSymbolicLink(_dir.Path("lists/folder"), _dir.Path("elsewhere/inner"));

        var file = Assert.Single(BlocklistFiles.Expand(_dir.Path("lists")));

        Assert.Equal(_dir.Path("lists/linked.txt"), file.DisplayPath);
    }

    [Fact]
    public void Missing_path_throws_one_clear_line()
    {
        var missing = _dir.Path("nope");

        var ex = Assert.Throws<BlocklistException>(() => BlocklistFiles.Expand(missing));

        Assert.Equal($"blocklist '{missing}' not found", ex.Message);
    }

    [Fact]
    public void Empty_folder_expands_to_nothing()
    {
        Directory.CreateDirectory(_dir.Path("empty"));

        Assert.Empty(BlocklistFiles.Expand(_dir.Path("empty")));
    }

    [Fact]
    public void A_FIFO_a_link_loop_and_a_link_to_a_device_are_skipped_each_with_a_reason_and_the_other_files_listed()
    {
        _dir.Write("lists/a.txt", "a.example");
        _dir.Write("lists/z.txt", "z.example");
        MakeFifo(_dir.Path("lists/pipe.txt"));
        File.CreateSymbolicLink(_dir.Path("lists/l1.txt"), "l2.txt");
        File.CreateSymbolicLink(_dir.Path("lists/l2.txt"), "l1.txt");
        File.CreateSymbolicLink(_dir.Path("lists/zero.txt"), "/dev/zero");
        var lists = _dir.Path("lists");
        var skipped = new List<ListProblem>();

        var files = BlocklistFiles.Expand(lists, skipped);

        Assert.Equal([$"{lists}/a.txt", $"{lists}/z.txt"], files.Select(f => f.DisplayPath));
        Assert.Equal(
            [
                $"{lists}/l1.txt:0: skipped: a symbolic link loop, not a regular file",
                $"{lists}/l2.txt:0: skipped: a symbolic link loop, not a regular file",
                $"{lists}/pipe.txt:0: skipped: a FIFO, not a regular file",
                $"{lists}/zero.txt:0: skipped: a character device, not a regular file",
            ],
            skipped.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_FIFO_given_as_the_list_itself_is_an_error_naming_it()
    {
        var pipe = _dir.Path("pipe.txt");
        MakeFifo(pipe);

        var error = Assert.Throws<BlocklistException>(() => BlocklistFiles.Expand(pipe));

        Assert.Equal($"blocklist '{pipe}' is a FIFO, not a regular file", error.Message);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
