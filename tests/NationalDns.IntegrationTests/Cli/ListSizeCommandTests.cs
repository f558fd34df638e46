using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>--max-list-size</c> in check and explain: a file over it is one error line, and the other lists are still read, as serve does.</summary>
public sealed class ListSizeCommandTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    // 136 bytes: over a 100-byte limit. The small list (5 bytes) is under it.
    private string WriteLists()
    {
        _sandbox.Write("lists/big.txt", "whatsapp.com\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"x{i}.example\n")) + "telegram.org\n");
        _sandbox.Write("lists/small.txt", "t.me\n");
        return Path.Combine(_sandbox.Directory, "lists");
    }

    [Fact]
    public async Task Check_refuses_a_list_over_the_size_in_one_line_checks_the_others_and_exits_1()
    {
        var lists = WriteLists();
        var big = Path.Combine(lists, "big.txt");
        var small = Path.Combine(lists, "small.txt");

        var (code, output, error) = await CliSandbox.RunAsync("check", lists, "--max-list-size", "100");

        Assert.Equal(1, code);
        Assert.Equal(
            $"""
            blocklist '{big}' is 136 bytes, over --max-list-size (100 bytes); not loaded
            {small}: native list, 1 rule, 0 exceptions
            total: 1 rule, 0 exceptions in 1 file; 0 bad lines, 0 warnings, 1 file not read

            """,
            output);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public async Task Check_takes_the_size_from_the_config_file_as_serve_does()
    {
        var lists = WriteLists();
        var config = _sandbox.Write("settings.json", """{ "MaxListSize": "100" }""");

        var (code, output, _) = await CliSandbox.RunAsync("check", lists, "--config", config);

        Assert.Equal(1, code);
        Assert.StartsWith($"blocklist '{Path.Combine(lists, "big.txt")}' is 136 bytes, over --max-list-size (100 bytes); not loaded\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_under_the_default_size_reads_every_list()
    {
        var lists = WriteLists();

        var (code, output, _) = await CliSandbox.RunAsync("check", lists);

        Assert.Equal(0, code);
        Assert.EndsWith("total: 13 rules, 0 exceptions in 2 files; 0 bad lines, 0 warnings\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_reports_a_list_over_the_size_in_one_line_and_answers_from_the_others()
    {
        var lists = WriteLists();
        var big = Path.Combine(lists, "big.txt");
        var small = Path.Combine(lists, "small.txt");

        var refused = await CliSandbox.RunAsync("explain", "whatsapp.com", "--blocklist", lists, "--max-list-size", "100");
        var (code, output, _) = await CliSandbox.RunAsync("explain", "t.me", "--blocklist", lists, "--max-list-size", "100");

        Assert.Equal(
            (0, "whatsapp.com A: on no list; forwarded to the upstream, whose answer is returned unchanged\n", $"nationaldns: blocklist '{big}' is 136 bytes, over --max-list-size (100 bytes); not loaded\n"),
            refused);
        Assert.Equal(0, code);
        Assert.StartsWith($"t.me A: blocked by t.me ({small}:1), action nxdomain\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_rejects_a_size_that_is_not_one_as_serve_does()
    {
        var (code, _, error) = await CliSandbox.RunAsync("explain", "t.me", "--blocklist", WriteLists(), "--max-list-size", "lots");

        Assert.Equal((2, "nationaldns: --max-list-size: 'lots' is not a size (e.g. 100MB, 1GB, or bytes)\n"), (code, error));
    }
}
