using NationalDns.Cli;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>--at</c>, <c>--group</c> and <c>--client</c> as a user runs them, and the shipped list replayed through the timeline.</summary>
public sealed class TimeAndPlaceProgramTests : IDisposable
{
    private const string Shutdown = "mobile-shutdown=10.64.0.0/10,2001:db8:64::/48;regime=allowlist";

    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliSandbox.RunAsync(args);

    private string WriteList(string name, string text) => _sandbox.Write(name, text);

    private static string ShippedLists()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NationalDns.sln")))
            {
                return Path.Combine(directory.FullName, "blocklists");
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static string FirstLine(string output) => output.Split('\n')[0];

    [Fact]
    public async Task Explain_at_a_date_before_a_rule_says_the_name_resolves_and_when_the_rule_starts()
    {
        var list = WriteList("national.txt", "web.whatsapp.com from=2026-02-12\n");

        var (code, output, _) = await RunAsync("explain", "web.whatsapp.com", "--blocklist", list, "--at", "2026-02-01");

        Assert.Equal(0, code);
        Assert.Equal(
            $"""
            web.whatsapp.com A as of 2026-02-01: no rule in force; forwarded to the upstream, whose answer is returned unchanged
              not applied: web.whatsapp.com nxdomain ({list}:1): in force from 2026-02-12

            """,
            output);
    }

    [Fact]
    public async Task Explain_at_a_date_inside_the_window_names_the_answer_the_date_and_the_line()
    {
        var list = WriteList("national.txt", "# list\nweb.whatsapp.com from=2026-02-12\n");

        var (code, output, _) = await RunAsync("explain", "web.whatsapp.com", "--blocklist", list, "--at", "2026-02-12");

        Assert.Equal(0, code);
        Assert.Equal(
            $"""
            web.whatsapp.com A as of 2026-02-12: blocked by web.whatsapp.com ({list}:2), action nxdomain, since 2026-02-12
            ;; status: NXDOMAIN, flags: qr aa rd ra
            ;; EDE: 16 (Censored): (web.whatsapp.com blocked by rule web.whatsapp.com ({Path.GetFileName(list)}:2))
            ;; AUTHORITY SECTION:
            web.whatsapp.com. 60 IN SOA nationaldns.invalid. hostmaster.nationaldns.invalid. 1 3600 600 86400 60

            """,
            output);
    }

    [Fact]
    public async Task Explain_for_a_client_names_its_group_and_the_answer_it_gets()
    {
        var list = WriteList("national.txt", "whatsapp.com\n@@vk.com group=mobile-shutdown\n");

        var inGroup = await RunAsync("explain", "wikipedia.org", "--blocklist", list, "--group", Shutdown, "--client", "::ffff:10.64.3.4");
        var allowed = await RunAsync("explain", "m.vk.com", "--blocklist", list, "--group", Shutdown, "--client", "2001:db8:64::1");
        var outside = await RunAsync("explain", "wikipedia.org", "--blocklist", list, "--group", Shutdown, "--client", "192.0.2.1");

        Assert.Equal(
            """
            client ::ffff:10.64.3.4: group mobile-shutdown (10.64.0.0/10, 2001:db8:64::/48), regime=allowlist: only its allow rules resolve
            wikipedia.org A: on no allowlist of group mobile-shutdown (regime=allowlist), action refused
            ;; status: REFUSED, flags: qr rd ra
            ;; EDE: 16 (Censored): (wikipedia.org blocked by rule * (allowlist regime of group mobile-shutdown:0))

            """,
            inGroup.Output);
        Assert.Equal($"m.vk.com A: allowed by exception @@vk.com ({list}:2), for group mobile-shutdown; forwarded to the upstream, whose answer is returned unchanged", allowed.Output.Split('\n')[1]);
        Assert.Equal(
            """
            client 192.0.2.1: in no group (defined: mobile-shutdown)
            wikipedia.org A: on no list; forwarded to the upstream, whose answer is returned unchanged

            """,
            outside.Output);
    }

    [Fact]
    public async Task Check_at_a_date_counts_the_rules_in_force_then()
    {
        var list = WriteList("national.txt", "a.example from=2026-02-10\nb.example until=2026-02-10\nc.example\n@@d.example from=2026-03-01\n");

        var (code, output, _) = await RunAsync("check", list, "--at", "2026-02-10");

        Assert.Equal(0, code);
        Assert.EndsWith(
            """
            total: 3 rules, 1 exception in 1 file; 0 bad lines, 0 warnings
            as of 2026-02-10: 2 rules, 0 exceptions in force; 1 not yet in force, 1 no longer in force

            """,
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_an_unknown_group_with_file_and_line_and_exits_1()
    {
        var list = WriteList("national.txt", "whatsapp.com\nt.me group=north\nvk.com group=mobile-shutdown\n");

        var (code, output, _) = await RunAsync("check", list, "--group", Shutdown, "--group", "south=10.2.0.0/16");

        Assert.Equal(1, code);
        Assert.Contains($"{list}:2: unknown group 'north' (defined: mobile-shutdown, south)\n", output, StringComparison.Ordinal);
        Assert.Contains("total: 2 rules, 0 exceptions in 1 file; 1 bad line, 0 warnings", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_takes_groups_and_the_moment_from_the_config_file_as_serve_does()
    {
        var list = WriteList("national.txt", "whatsapp.com from=2026-02-12\nvk.com group=mobile-shutdown\nt.me group=north\n");
        var config = WriteList("settings.json", $$"""{ "Group": ["{{Shutdown}}"], "At": "2026-02-01" }""");

        var (code, output, _) = await RunAsync("check", list, "--config", config);

        Assert.Equal(1, code);
        Assert.Contains($"{list}:3: unknown group 'north' (defined: mobile-shutdown)\n", output, StringComparison.Ordinal);
        Assert.EndsWith(
            """
            total: 2 rules, 0 exceptions in 1 file; 1 bad line, 0 warnings
            as of 2026-02-01: 1 rule, 0 exceptions in force; 1 not yet in force, 0 no longer in force

            """,
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_warns_about_a_true_duplicate_but_not_about_the_same_name_in_another_window()
    {
        var list = WriteList("national.txt", "t.me servfail from=2026-02-10\nt.me nxdomain from=2026-02-12\nt.me refused from=2026-02-10\n");

        var (code, output, _) = await RunAsync("check", list);

        Assert.Equal(0, code);
        Assert.Contains($"{list}:3: warning: duplicate rule 't.me from=2026-02-10' overrides {list}:1\n", output, StringComparison.Ordinal);
        Assert.Contains("total: 2 rules, 0 exceptions in 1 file; 0 bad lines, 1 warning", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--at", "12/02/2026", "nationaldns: --at: '12/02/2026' is not a date (write 2026-02-12, 2026-02-12T09:30 or 2026-02-12T09:30+03:00)\n")]
    [InlineData("--group", "north=10.0.0.1/8", "nationaldns: --group: group 'north': '10.0.0.1/8' has bits set after the prefix (did you mean 10.0.0.0/8?)\n")]
    [InlineData("--client", "somewhere", "nationaldns: --client: 'somewhere' is not an IP address\n")]
    public async Task A_bad_date_group_or_client_is_one_line_and_exit_code_2(string option, string value, string error)
    {
        var list = WriteList("national.txt", "whatsapp.com\n");

        var result = await RunAsync("explain", "whatsapp.com", "--blocklist", list, option, value);

        Assert.Equal((2, string.Empty, error), result);
    }

    [Fact]
    public async Task Groups_defined_twice_over_one_network_are_a_usage_error()
    {
        var result = await RunAsync("explain", "whatsapp.com", "--blocklist", WriteList("a.txt", "x.example\n"), "--group", "a=10.0.0.0/8", "--group", "b=10.0.0.0/8");

        Assert.Equal((2, "nationaldns: --group: network 10.0.0.0/8 is in both group 'a' and group 'b'\n"), (result.Code, result.Error));
    }

    [Fact]
    public async Task The_shipped_list_checks_clean_and_skips_the_example_group_folder_until_it_is_defined()
    {
        var plain = await RunAsync("check", ShippedLists());
        var defined = await RunAsync("check", ShippedLists(), "--group", Shutdown);

        Assert.Equal(0, plain.Code);
        Assert.Contains("groups/mobile-shutdown/whitelist.txt: native list, 0 rules, 10 exceptions; not in force: group 'mobile-shutdown' is not defined (--group mobile-shutdown=CIDR... puts it in force)", plain.Output, StringComparison.Ordinal);
        Assert.Contains(" in 1 file and 1 not in force; 0 bad lines, 0 warnings", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(":0:", plain.Output, StringComparison.Ordinal);
        Assert.Equal(0, defined.Code);
        Assert.Contains("0 bad lines, 0 warnings", defined.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web.whatsapp.com", "2025-08-01", "no rule in force")]
    [InlineData("web.whatsapp.com", "2026-02-01", "no rule in force")]
    [InlineData("web.whatsapp.com", "2026-02-11", "blocked by whatsapp.com (national.txt:20), action nxdomain, since 2026-02-11")]
    [InlineData("web.whatsapp.com", "2026-02-12", "blocked by web.whatsapp.com (national.txt:21), action nxdomain, since 2026-02-12")]
    [InlineData("g.whatsapp.net", "2025-08-12", "no rule in force")]
    [InlineData("g.whatsapp.net", "2025-08-13", "throttled by whatsapp.net (national.txt:6), action throttle 800ms loss=50%, since 2025-08-13")]
    [InlineData("v.whatsapp.net", "2025-10-29", "throttled by whatsapp.net (national.txt:6), action throttle 800ms loss=50%, since 2025-08-13")]
    [InlineData("v.whatsapp.net", "2025-10-30", "blocked by v.whatsapp.net (national.txt:9), action nxdomain, since 2025-10-30")]
    [InlineData("facetime.apple.com", "2025-12-03T23:59", "no rule in force")]
    [InlineData("facetime.apple.com", "2025-12-04", "blocked by facetime.apple.com (national.txt:11), action nxdomain, since 2025-12-04")]
    [InlineData("api.telegram.org", "2026-02-09", "throttled by telegram.org (national.txt:7), action throttle 800ms loss=50%, since 2025-08-13")]
    [InlineData("api.telegram.org", "2026-02-10", "throttled by telegram.org (national.txt:13), action throttle 450ms loss=17%, since 2026-02-10")]
    [InlineData("t.me", "2026-02-09", "no rule in force")]
    [InlineData("t.me", "2026-02-10", "throttled by t.me (national.txt:14), action throttle 450ms loss=17%, since 2026-02-10")]
    public async Task The_shipped_list_replays_the_2025_2026_campaign(string name, string at, string verdict)
    {
        var (code, output, _) = await RunAsync("explain", name, "--blocklist", ShippedLists(), "--at", at);

        Assert.Equal(0, code);
        Assert.StartsWith($"{name} A as of ", FirstLine(output), StringComparison.Ordinal);
        Assert.Contains(verdict.Replace("(national.txt", $"({Path.Combine(ShippedLists(), "national.txt")}", StringComparison.Ordinal), FirstLine(output), StringComparison.Ordinal);
    }
}
