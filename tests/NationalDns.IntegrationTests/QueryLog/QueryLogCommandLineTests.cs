using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.QueryLog;

/// <summary>The query log's flags as a user gives them: mistakes are one line and exit code 2.</summary>
public sealed class QueryLogCommandLineTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_data_folder_that_cannot_be_written_is_one_line_and_exit_code_2()
    {
        var file = _sandbox.Write("file", "where the folder should be");
        var data = Path.Combine(file, "data");

        var (code, error) = await RunAsync("--data-dir", data);

        Assert.Equal(2, code);
        Assert.StartsWith($"nationaldns: --data-dir: cannot write to '{data}': ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("--query-log", "postgres", "nationaldns: --query-log: 'postgres' is neither sqlite nor off\n")]
    [InlineData("--query-log-retention", "1y", "nationaldns: --query-log-retention: '1y' is not a duration (e.g. 30m, 12h, 7d)\n")]
    [InlineData("--query-log-max-size", "1 gig", "nationaldns: --query-log-max-size: '1 gig' is not a size (e.g. 200KB, 500MB, 1GB, or bytes)\n")]
    public async Task Bad_query_log_flags_are_one_line_and_exit_code_2(string flag, string value, string expected)
    {
        var (code, error) = await RunAsync(flag, value);

        Assert.Equal((2, expected), (code, error));
    }

    // Serve with a list and an upstream, so the flag under test is the only thing wrong.
    private async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        var (code, _, error) = await CliSandbox.RunAsync([.. args, "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5300", "--blocklist", _sandbox.Write("list.txt", "whatsapp.com\n")]);
        return (code, error);
    }
}
