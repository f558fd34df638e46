using System.Text;
using NationalDns.Cli;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>check</c> and <c>explain</c> with lists in every format, forced formats and wrong encodings.</summary>
public sealed class FormatCommandTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static string SampleFile(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliSandbox.RunAsync(args);

    private string Write(string name, string text) => _sandbox.Write(name, text);

    [Fact]
    public async Task Check_prints_each_files_format_and_what_it_skipped()
    {
        var hosts = Write("hosts", "127.0.0.1 localhost\n0.0.0.0 hosts-only.test\n");
        var native = Write("national.txt", "whatsapp.com\n");

        var (code, output, _) = await RunAsync("check", SampleFile("dump.csv"), SampleFile("policy.rpz"), SampleFile("adblock.txt"), hosts, native);

        Assert.Equal(0, code);
        Assert.Equal(
            $"""
            {SampleFile("dump.csv")}: Roskomnadzor registry dump, 6 rules, 0 exceptions, 2 skipped (no DNS rule)
            {SampleFile("policy.rpz")}: response policy zone, 7 rules, 1 exception
            {SampleFile("adblock.txt")}: Adblock-style DNS rules, 4 rules, 2 exceptions, 2 skipped (no DNS rule)
            {hosts}: hosts file, 1 rule, 0 exceptions
            {native}: native list, 1 rule, 0 exceptions
            {SampleFile("policy.rpz")}:9: warning: duplicate rule '*.wild.test' overrides {SampleFile("dump.csv")}:3
            {SampleFile("adblock.txt")}:7: warning: duplicate rule '*.wild.test' overrides {SampleFile("policy.rpz")}:9
            total: 17 rules, 3 exceptions in 5 files; 0 bad lines, 2 warnings

            """,
            output);
    }

    [Fact]
    public async Task Forced_format_the_content_contradicts_is_one_line_and_exit_code_2()
    {
        var (code, output, error) = await RunAsync("check", "rpz:" + SampleFile("adblock.txt"));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"nationaldns: blocklist {SampleFile("adblock.txt")}:1: the list is forced to format rpz, but its content is adblock ('[Adblock Plus 2.0]')\n", error);
    }

    [Fact]
    public async Task Registry_dump_saved_as_UTF8_is_one_line_and_exit_code_2()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        var utf8 = Path.Combine(_sandbox.Directory, "dump.csv");
        await File.WriteAllTextAsync(utf8, cp1251.GetString(await File.ReadAllBytesAsync(SampleFile("dump.csv"))), new UTF8Encoding(false));

        var (code, _, error) = await RunAsync("check", utf8);

        Assert.Equal(2, code);
        Assert.Equal($"nationaldns: blocklist {utf8}:2: the file is UTF-8, but a registry dump is Windows-1251; convert it back (iconv -f UTF-8 -t WINDOWS-1251) or fetch the original\n", error);
    }

    [Fact]
    public async Task Explain_cites_the_registry_decision()
    {
        var (code, output, _) = await RunAsync("explain", "www.blocked-one.test", "--blocklist", SampleFile("dump.csv"));

        Assert.Equal(0, code);
        Assert.StartsWith(
            $"""
            www.blocked-one.test A: blocked by blocked-one.test ({SampleFile("dump.csv")}:2), action nxdomain
            basis: decision TEST-0001/2026 of 2026-02-11 (Тестовый суд)
            ;; status: NXDOMAIN
            """,
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_cites_a_native_lines_comment_and_an_exceptions_basis()
    {
        var list = Write("national.txt", "whatsapp.com  # Roskomnadzor, 2026-02-11: excluded from NSDI\n@@static.whatsapp.com # CDN kept reachable\n");

        var (_, blocked, _) = await RunAsync("explain", "web.whatsapp.com", "--blocklist", list);
        var (_, allowed, _) = await RunAsync("explain", "static.whatsapp.com", "--blocklist", list);

        Assert.Contains($"blocked by whatsapp.com ({list}:1), action nxdomain\nbasis: Roskomnadzor, 2026-02-11: excluded from NSDI\n", blocked, StringComparison.Ordinal);
        Assert.Equal($"static.whatsapp.com A: allowed by exception @@static.whatsapp.com ({list}:2) [basis: CDN kept reachable]; forwarded to the upstream, whose answer is returned unchanged\n", allowed);
    }

    [Fact]
    public async Task Explain_shows_an_important_block_from_one_list_over_an_exception_in_another()
    {
        var adblock = Write("adblock.txt", "[Adblock Plus 2.0]\n||tracker.test^$important\n");
        var native = Write("national.txt", "@@cdn.tracker.test\n");

        var (code, output, _) = await RunAsync("explain", "img.cdn.tracker.test", "--blocklist", native, "--blocklist", adblock);

        Assert.Equal(0, code);
        Assert.StartsWith($"img.cdn.tracker.test A: blocked by tracker.test$important ({adblock}:2), action nxdomain\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_shows_an_exact_rpz_trigger_deciding_its_name_and_not_the_names_under_it()
    {
        var zone = Write("policy.rpz", "$ORIGIN rpz.test.\nexact.test CNAME .\n");

        var (_, exact, _) = await RunAsync("explain", "exact.test", "--blocklist", zone);
        var (_, below, _) = await RunAsync("explain", "www.exact.test", "--blocklist", zone);

        Assert.StartsWith($"exact.test A: blocked by =exact.test ({zone}:2), action nxdomain\n", exact, StringComparison.Ordinal);
        Assert.Equal("www.exact.test A: on no list; forwarded to the upstream, whose answer is returned unchanged\n", below);
    }

    [Fact]
    public async Task Config_file_forces_a_format_with_an_object_entry()
    {
        var zone = Write("policy.txt", "quiet.test CNAME *.\n");
        var config = Write("config.json", $$"""{ "Blocklist": [ { "Path": "{{zone.Replace("\\", "\\\\", StringComparison.Ordinal)}}", "Format": "rpz" } ] }""");

        var (code, output, _) = await RunAsync("explain", "quiet.test", "--config", config);

        Assert.Equal(0, code);
        Assert.StartsWith($"quiet.test A: blocked by =quiet.test ({zone}:1), action nodata", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_file_with_an_unknown_format_is_one_line_and_exit_code_2()
    {
        var config = Write("config.json", """{ "Blocklist": [ { "Path": "x.txt", "Format": "zone" } ] }""");

        var (code, _, error) = await RunAsync("explain", "a.test", "--config", config);

        Assert.Equal(2, code);
        Assert.Equal("nationaldns: Blocklist: unknown format 'zone' for 'x.txt' (expected one of: native, hosts, adblock, rpz, rkn, or auto)\n", error);
    }
}
