using System.Net;
using NationalDns.Configuration;

namespace NationalDns.UnitTests.Configuration;

public sealed class TlsSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers);

    [Fact]
    public void Without_encrypted_listeners_there_is_no_certificate()
    {
        var settings = Read([]);

        Assert.Empty(settings.Server.ListenTls);
        Assert.Empty(settings.ListenHttps);
        Assert.Null(settings.Tls);
    }

    [Fact]
    public void Listeners_default_to_ports_853_and_443_and_the_self_signed_certificate_names_the_host_and_the_addresses()
    {
        var settings = Read(new() { ["ListenTls:0"] = "192.0.2.10", ["ListenHttps:0"] = "[2001:db8::1]", ["DataDir"] = "/var/lib/nationaldns" });

        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.10"), 853)], settings.Server.ListenTls);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443)], settings.ListenHttps);
        Assert.Equal([Dns.GetHostName().ToLowerInvariant(), "192.0.2.10", "2001:db8::1"], settings.Tls!.Names);
        Assert.Null(settings.Tls.CertificateFile);
        Assert.Equal("/var/lib/nationaldns", settings.Tls.DataDirectory);
    }

    [Fact]
    public void Given_names_and_files_are_taken_as_given()
    {
        var named = Read(new() { ["ListenTls:0"] = "127.0.0.1:8853", ["TlsName:0"] = "dns.example.test", ["TlsName:1"] = "192.0.2.10" });
        var files = Read(new() { ["ListenHttps:0"] = "127.0.0.1:8443", ["TlsCert"] = "/etc/ssl/dns.pem", ["TlsKey"] = "/etc/ssl/dns.key" });

        Assert.Equal(["dns.example.test", "192.0.2.10"], named.Tls!.Names);
        Assert.Equal(("/etc/ssl/dns.pem", "/etc/ssl/dns.key"), (files.Tls!.CertificateFile, files.Tls.KeyFile));
    }

    [Theory]
    [InlineData("ListenTls:0", "localhost:853", null, null, "--listen-tls: 'localhost:853' is not an IP address (write IP:PORT, or [IPv6]:PORT)")]
    [InlineData("ListenTls:0", "127.0.0.1:853", "TlsCert", "/etc/ssl/dns.pem", "--tls-cert needs --tls-key (the certificate's private key)")]
    [InlineData("ListenTls:0", "127.0.0.1:853", "TlsKey", "/etc/ssl/dns.key", "--tls-key needs --tls-cert (the certificate that goes with the key)")]
    [InlineData("ListenTls:0", "127.0.0.1:853", "TlsName:0", "bad name!", "--tls-name: 'bad name!' is neither a host name nor an IP address")]
    [InlineData("TlsName:0", "dns.example.test", null, null, "--tls-name: no --listen-tls or --listen-https to use the certificate")]
    public void A_bad_combination_is_a_usage_error_naming_the_option(string key, string value, string? otherKey, string? otherValue, string message)
    {
        var flags = new Dictionary<string, string?> { [key] = value };
        if (otherKey is not null)
        {
            flags[otherKey] = otherValue;
        }

        Assert.Equal(message, Assert.Throws<UsageException>(() => Read(flags)).Message);
    }

    [Fact]
    public void Names_and_files_together_are_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["ListenTls:0"] = "127.0.0.1", ["TlsCert"] = "a.pem", ["TlsKey"] = "a.key", ["TlsName:0"] = "dns.example.test" }));

        Assert.Equal("--tls-name names the self-signed certificate made when there is no --tls-cert; give one or the other", error.Message);
    }
}
