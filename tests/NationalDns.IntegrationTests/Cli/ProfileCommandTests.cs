using System.Xml;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Cli;

/// <summary><c>nationaldns profile ios</c>: the .mobileconfig read back as a property list, key by key.</summary>
public sealed class ProfileCommandTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    /// <summary>A plist &lt;dict&gt; as key → value element.</summary>
    private static Dictionary<string, XmlElement> Dict(XmlElement dict)
    {
        Assert.Equal("dict", dict.Name);
        var children = dict.ChildNodes.OfType<XmlElement>().ToList();
        Assert.True(children.Count % 2 == 0, dict.OuterXml);
        Assert.All(children.Where((_, i) => i % 2 == 0), key => Assert.Equal("key", key.Name));
        return Enumerable.Range(0, children.Count / 2).ToDictionary(i => children[2 * i].InnerText, i => children[(2 * i) + 1]);
    }

    private static (Dictionary<string, XmlElement> Profile, Dictionary<string, XmlElement> Payload, Dictionary<string, XmlElement> Dns) Parse(string plist)
    {
        var document = new XmlDocument();
        using (var reader = XmlReader.Create(new StringReader(plist), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null }))
        {
            document.Load(reader);
        }

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyLists-1.0.dtd\">", plist, StringComparison.Ordinal);
        Assert.Equal("1.0", document.DocumentElement!.GetAttribute("version"));
        var profile = Dict(document.DocumentElement.ChildNodes.OfType<XmlElement>().Single());
        var payload = Dict(Assert.Single(profile["PayloadContent"].ChildNodes.OfType<XmlElement>()));
        return (profile, payload, Dict(payload["DNSSettings"]));
    }

    private static string Text(XmlElement value, string type = "string")
    {
        Assert.Equal(type, value.Name);
        return value.InnerText;
    }

    [Fact]
    public async Task A_DoH_profile_has_every_key_iOS_requires()
    {
        var (code, output, error) = await CliSandbox.RunAsync("profile", "ios", "--doh", "https://dns.example/dns-query", "--address", "192.0.2.53", "--address", "2001:db8::53");

        Assert.True(code == 0, error);
        var (profile, payload, dns) = Parse(output);
        Assert.Equal("Configuration", Text(profile["PayloadType"]));
        Assert.Equal("1", Text(profile["PayloadVersion"], "integer"));
        Assert.True(Guid.TryParse(Text(profile["PayloadUUID"]), out _));
        Assert.StartsWith("nationaldns.dns.", Text(profile["PayloadIdentifier"]), StringComparison.Ordinal);
        Assert.Contains("dns.example", Text(profile["PayloadDisplayName"]), StringComparison.Ordinal);
        Assert.Equal("false", profile["PayloadRemovalDisallowed"].Name);

        Assert.Equal("com.apple.dnsSettings.managed", Text(payload["PayloadType"]));
        Assert.Equal("1", Text(payload["PayloadVersion"], "integer"));
        Assert.True(Guid.TryParse(Text(payload["PayloadUUID"]), out _));
        Assert.NotEqual(Text(profile["PayloadUUID"]), Text(payload["PayloadUUID"]));
        Assert.StartsWith("com.apple.dnsSettings.managed.", Text(payload["PayloadIdentifier"]), StringComparison.Ordinal);
        Assert.NotEmpty(Text(payload["PayloadDisplayName"]));

        Assert.Equal("HTTPS", Text(dns["DNSProtocol"]));
        Assert.Equal("https://dns.example/dns-query", Text(dns["ServerURL"]));
        Assert.False(dns.ContainsKey("ServerName"));
        Assert.Equal(["192.0.2.53", "2001:db8::53"], dns["ServerAddresses"].ChildNodes.OfType<XmlElement>().Select(e => Text(e)));
    }

    [Fact]
    public async Task A_DoT_profile_names_the_server_and_each_profile_has_new_UUIDs()
    {
        var file = Path.Combine(_sandbox.Directory, "nationaldns.mobileconfig");

        var (code, output, _) = await CliSandbox.RunAsync("profile", "ios", "--dot", "DNS.Example", "--out", file);
        var (_, again, _) = await CliSandbox.RunAsync("profile", "ios", "--dot", "dns.example");

        Assert.Equal(0, code);
        Assert.StartsWith($"Wrote {file}", output, StringComparison.Ordinal);
        var (profile, payload, dns) = Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("TLS", Text(dns["DNSProtocol"]));
        Assert.Equal("dns.example", Text(dns["ServerName"]));
        Assert.False(dns.ContainsKey("ServerURL"));
        Assert.False(dns.ContainsKey("ServerAddresses"));
        var (otherProfile, otherPayload, _) = Parse(again);
        Assert.NotEqual(Text(profile["PayloadUUID"]), Text(otherProfile["PayloadUUID"]));
        Assert.NotEqual(Text(payload["PayloadUUID"]), Text(otherPayload["PayloadUUID"]));
    }

    [Theory]
    [InlineData(new string[0], "nationaldns: profile ios: give one of --doh https://NAME/dns-query or --dot NAME\n")]
    [InlineData(new[] { "--doh", "https://a.example/dns-query", "--dot", "a.example" }, "nationaldns: profile ios: give one of --doh https://NAME/dns-query or --dot NAME\n")]
    [InlineData(new[] { "--doh", "http://dns.example/dns-query" }, "nationaldns: --doh: 'http://dns.example/dns-query' is not an https:// URL (e.g. https://dns.example/dns-query)\n")]
    [InlineData(new[] { "--doh", "dns.example" }, "nationaldns: --doh: 'dns.example' is not an https:// URL (e.g. https://dns.example/dns-query)\n")]
    [InlineData(new[] { "--dot", "192.0.2.53" }, "nationaldns: --dot: '192.0.2.53' is not a server name (e.g. dns.example; the name on the server's certificate)\n")]
    [InlineData(new[] { "--dot", "a..example" }, "nationaldns: --dot: 'a..example' is not a server name (e.g. dns.example; the name on the server's certificate)\n")]
    [InlineData(new[] { "--dot", "dns.example", "--address", "dns.example" }, "nationaldns: --address: 'dns.example' is not an IP address\n")]
    public async Task Bad_arguments_are_one_line_and_exit_code_2(string[] arguments, string expected)
    {
        var (code, output, error) = await CliSandbox.RunAsync(["profile", "ios", .. arguments]);

        Assert.Equal(2, code);
        Assert.Equal(expected, error);
        Assert.Empty(output);
    }
}
