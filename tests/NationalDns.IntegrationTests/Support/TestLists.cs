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
}
