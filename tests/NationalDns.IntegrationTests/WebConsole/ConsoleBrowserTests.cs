using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.IntegrationTests.Support;
using OpenQA.Selenium;

namespace NationalDns.IntegrationTests.WebConsole;

/// <summary>
/// The web console in a real browser: the server with <c>--http</c> on loopback and no token, headless Chromium on
/// its page, DNS queries sent alongside. Each test saves a screenshot into the test output's <c>screenshots/</c>.
/// </summary>
public sealed class ConsoleBrowserTests : IAsyncLifetime
{
    private const string Lists = "blocked.example  # decision 27-31-2020\nthrottled.example throttle 1ms\nbad..line\n";

    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _upstream.Responder = AnswerEveryName; // any name exists upstream, so the page shows answers
        _server = await TestServer.StartAsync(_upstream, Lists, s => s with { Http = new IPEndPoint(IPAddress.Loopback, 0) });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [ChromiumDriverFact]
    public async Task Live_view_shows_each_query_within_two_seconds()
    {
        using var browser = ConsoleBrowser.Open(_server.HttpBase!);
        Assert.True(await browser.LiveAsync(), "the live stream never opened: " + browser.ConsoleLog());

        await QueryAsync("www.example.org");
        await QueryAsync("ads.blocked.example");
        await QueryAsync("slow.throttled.example");

        var within = TimeSpan.FromSeconds(2);
        Assert.True(await browser.UntilAsync(_ => browser.Row("www.example.org", "forwarded") is not null, within), browser.ConsoleLog());
        Assert.True(await browser.UntilAsync(_ => browser.Row("ads.blocked.example", "blocked") is not null, within));
        Assert.True(await browser.UntilAsync(_ => browser.Row("slow.throttled.example", "throttled") is not null, within));
        var blocked = browser.Row("ads.blocked.example")!.Text;
        Assert.Contains("blocked.example", blocked, StringComparison.Ordinal);
        Assert.Contains($"{_server.ListFile}:1", blocked, StringComparison.Ordinal);
        Assert.Contains("decision 27-31-2020", blocked, StringComparison.Ordinal);
        Assert.Contains("192.0.2.80", browser.Row("www.example.org")!.Text, StringComparison.Ordinal);
        browser.Screenshot("console-live");
    }

    [ChromiumDriverFact]
    public async Task Block_on_a_row_makes_the_next_query_NXDOMAIN_and_shows_it_refused_by_the_new_rule()
    {
        using var browser = ConsoleBrowser.Open(_server.HttpBase!);
        Assert.True(await browser.LiveAsync(), browser.ConsoleLog());
        Assert.Equal(ReturnCode.NoError, (await QueryAsync("tracker.test")).ReturnCode);
        Assert.True(await browser.UntilAsync(_ => browser.Row("tracker.test", "forwarded") is not null));

        browser.Row("tracker.test")!.FindElement(By.CssSelector("button.block")).Click();
        Assert.True(await browser.UntilAsync(d => d.FindElements(By.CssSelector("#rule-file option")).Count == 1), "the list files never loaded");
        Assert.Equal("tracker.test", browser.Driver.FindElement(By.Id("rule-pattern")).GetAttribute("value"));
        browser.Driver.FindElement(By.Id("rule-submit")).Click();

        Assert.True(await Eventually.TrueAsync(async () => (await QueryAsync("tracker.test")).ReturnCode == ReturnCode.NxDomain), "the rule never took effect");
        var answer = await QueryAsync("tracker.test");
        Assert.Equal(ExtendedDnsError.Censored, ExtendedDnsError.ReadFrom(answer)?.InfoCode);
        Assert.EndsWith("\ntracker.test nxdomain\n", await File.ReadAllTextAsync(_server.ListFile), StringComparison.Ordinal);
        Assert.True(await browser.UntilAsync(_ => browser.Row("tracker.test", "blocked") is not null, TimeSpan.FromSeconds(2)));
        Assert.Contains($"{_server.ListFile}:4", browser.Row("tracker.test", "blocked")!.Text, StringComparison.Ordinal);
        var watch = browser.Driver.FindElement(By.Id("watch")).Text;
        Assert.Contains("Next query for tracker.test", watch, StringComparison.Ordinal);
        Assert.Contains("by rule tracker.test", watch, StringComparison.Ordinal);
        browser.Screenshot("console-block");
    }

    [ChromiumDriverFact]
    public async Task Allow_on_a_blocked_row_adds_an_exception_and_the_next_query_is_forwarded()
    {
        using var browser = ConsoleBrowser.Open(_server.HttpBase!);
        Assert.True(await browser.LiveAsync(), browser.ConsoleLog());
        await QueryAsync("cdn.blocked.example");
        Assert.True(await browser.UntilAsync(_ => browser.Row("cdn.blocked.example", "blocked") is not null));

        browser.Row("cdn.blocked.example")!.FindElement(By.CssSelector("button.allow")).Click();
        Assert.True(await browser.UntilAsync(d => d.FindElements(By.CssSelector("#rule-file option")).Count == 1));
        browser.Driver.FindElement(By.Id("rule-submit")).Click();

        Assert.True(await Eventually.TrueAsync(async () => (await QueryAsync("cdn.blocked.example")).ReturnCode == ReturnCode.NoError));
        Assert.Contains("@@cdn.blocked.example\n", await File.ReadAllTextAsync(_server.ListFile), StringComparison.Ordinal);
        Assert.True(await browser.UntilAsync(_ => browser.Driver.FindElement(By.Id("watch")).Text.Contains("exception @@cdn.blocked.example", StringComparison.Ordinal)));
        browser.Screenshot("console-allow");
    }

    [ChromiumDriverFact]
    public async Task Clients_page_lists_the_client_and_choosing_it_filters_the_live_view()
    {
        await QueryAsync("one.test");
        await QueryAsync("two.blocked.example");
        using var browser = ConsoleBrowser.Open(new Uri(_server.HttpBase!, "/#clients"));

        Assert.True(await browser.UntilAsync(d => d.FindElements(By.CssSelector("#client-table tr[data-client='127.0.0.1']")).Count == 1), browser.ConsoleLog());
        var cells = browser.Driver.FindElements(By.CssSelector("#client-table tr[data-client='127.0.0.1'] td")).Select(c => c.Text).ToList();
        Assert.Equal("2", cells[4]);
        Assert.Equal("1", cells[5]);
        browser.Screenshot("console-clients");

        browser.Driver.FindElement(By.CssSelector("#client-table tr[data-client='127.0.0.1'] button")).Click();

        Assert.True(await browser.UntilAsync(d => d.FindElement(By.Id("live")).Displayed && browser.Row("one.test") is not null));
        Assert.Equal("127.0.0.1", browser.Driver.FindElement(By.Id("filter-client")).GetAttribute("value"));
        Assert.EndsWith("#live", browser.Driver.Url, StringComparison.Ordinal);
    }

    [ChromiumDriverFact]
    public async Task Overview_draws_queries_by_outcome_with_top_names_and_clients()
    {
        await QueryAsync("a.blocked.example");
        await QueryAsync("a.blocked.example");
        await QueryAsync("news.example.org");
        await QueryAsync("news.example.org");
        await QueryAsync("mail.example.org");
        await QueryAsync("slow.throttled.example");
        using var browser = ConsoleBrowser.Open(new Uri(_server.HttpBase!, "/#overview"));

        Assert.True(await browser.UntilAsync(d => d.FindElements(By.CssSelector("#chart rect")).Count > 0), browser.ConsoleLog());
        Assert.StartsWith("a.blocked.example (2)", browser.Driver.FindElement(By.Id("top-blocked")).Text, StringComparison.Ordinal);
        Assert.StartsWith("news.example.org", browser.Driver.FindElement(By.Id("top-forwarded")).Text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1: 6 queries, 2 blocked", browser.Driver.FindElement(By.Id("top-clients")).Text, StringComparison.Ordinal);
        Assert.Contains("Dropped log events", browser.Driver.FindElement(By.Id("totals")).Text, StringComparison.Ordinal);
        browser.Screenshot("console-overview");
    }

    [ChromiumDriverFact]
    public async Task Lists_page_shows_rule_counts_bad_lines_and_explains_a_name()
    {
        using var browser = ConsoleBrowser.Open(new Uri(_server.HttpBase!, "/#lists"));

        Assert.True(await browser.UntilAsync(d => d.FindElements(By.CssSelector("#list-table tbody tr")).Count == 1), browser.ConsoleLog());
        var cells = browser.Driver.FindElements(By.CssSelector("#list-table tbody td")).Select(c => c.Text).ToList();
        Assert.Equal([_server.ListFile, "native", "2", "0", "1"], cells);
        Assert.Contains($"{_server.ListFile}:3", browser.Driver.FindElement(By.Id("problem-list")).Text, StringComparison.Ordinal);

        browser.Driver.FindElement(By.Id("explain-name")).SendKeys("www.blocked.example" + Keys.Enter);

        Assert.True(await browser.UntilAsync(d => d.FindElement(By.Id("explain-result")).Text.Contains("blocked", StringComparison.Ordinal)));
        var explained = browser.Driver.FindElement(By.Id("explain-result")).Text;
        Assert.Contains("www.blocked.example A: blocked", explained, StringComparison.Ordinal);
        Assert.Contains("status: NXDOMAIN", explained, StringComparison.Ordinal);
        browser.Screenshot("console-lists");
    }

    [ChromiumDriverFact]
    public async Task Tabs_are_reachable_with_the_keyboard()
    {
        using var browser = ConsoleBrowser.Open(_server.HttpBase!);
        Assert.True(await browser.LiveAsync());

        browser.Driver.FindElement(By.Id("tab-live")).SendKeys(Keys.ArrowRight);

        Assert.True(await browser.UntilAsync(d => d.FindElement(By.Id("clients")).Displayed && !d.FindElement(By.Id("live")).Displayed));
        Assert.Equal("tab-clients", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
    }

    private static DnsMessage AnswerEveryName(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        var question = query.Questions[0];
        if (question.RecordType == RecordType.A)
        {
            response.AnswerRecords.Add(new ARecord(question.Name, 300, IPAddress.Parse("192.0.2.80")));
        }

        return response;
    }

    private async Task<DnsMessage> QueryAsync(string name) =>
        (await DnsTestClient.UdpAsync(_server.EndPoint, new QueryBuilder { Name = name, EdnsUdpSize = 1232 }))!;
}
