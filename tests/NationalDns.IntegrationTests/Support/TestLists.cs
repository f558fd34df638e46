namespace NationalDns.IntegrationTests.Support;

/// <summary>List texts shared by tests: one rule per action, plus a wildcard and an exception.</summary>
internal static class TestLists
{
    /// <summary><c>whatsapp.com</c> is on line 1.</summary>
    public const string EveryAction = """
        whatsapp.com
        *.example.net
        @@static.whatsapp.net
        whatsapp.net
        telegram.org  refused
        broken.test   servfail
        quiet.test    nodata
        t.me  sinkhole 192.0.2.10 2001:db8::10
        v4only.test   sinkhole 192.0.2.11
        dropped.test  drop
        """;

    /// <summary>One rule per censor behaviour; <c>a.test</c> and <c>aaaa.test</c> are names the fake upstream answers.</summary>
    public const string Behaviours = """
        a.test          throttle 150ms jitter=50ms
        lossy.a.test    throttle 20ms loss=30%
        aaaa.test       tcp-only
        telegram.org    forge
        t.me            forge 198.51.100.1 198.51.100.2 2001:db8::5
        vk.example      stub ertelecom
        page.example    sinkhole
        """;
}
