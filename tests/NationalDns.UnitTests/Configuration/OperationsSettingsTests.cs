using System.Net;
using NationalDns.Configuration;
using NationalDns.Server.Admission;

namespace NationalDns.UnitTests.Configuration;

public sealed class OperationsSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags) =>
        SettingsReader.Read(SettingsReader.Layer(null, flags), () => SystemResolvers);

    [Fact]
    public void Operations_are_off_or_safe_by_default()
    {
        var settings = Read([]);

        Assert.Null(settings.Http);
        Assert.Null(settings.ApiToken);
        Assert.Null(settings.Admission.RateLimit);
        Assert.Equal(RateLimitAction.Truncate, settings.Admission.RateLimitAction);
        Assert.Same(AdmissionOptions.DefaultAllowClients, settings.Admission.AllowClients);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Server.ShutdownTimeout);
        Assert.Null(settings.Dnstap);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var token = Path.GetTempFileName();
        try
        {
            File.WriteAllText(token, "  abc123\n");
            var settings = Read(new()
            {
                ["Http"] = "0.0.0.0:8080",
                ["ApiTokenFile"] = token,
                ["AllowClient:0"] = "10.0.0.0/8",
                ["AllowClient:1"] = "fd00::/8",
                ["RateLimit"] = "50",
                ["RateLimitAction"] = "drop",
                ["ShutdownTimeout"] = "2s",
                ["Dnstap"] = "unix:/run/dnstap.sock",
            });

            Assert.Equal(new IPEndPoint(IPAddress.Any, 8080), settings.Http);
            Assert.Equal("abc123", settings.ApiToken);
            Assert.Equal(["10.0.0.0/8", "fd00::/8"], settings.Admission.AllowClients.Select(n => n.Text));
            Assert.Equal(50, settings.Admission.RateLimit);
            Assert.Equal(RateLimitAction.Drop, settings.Admission.RateLimitAction);
            Assert.Equal(TimeSpan.FromSeconds(2), settings.Server.ShutdownTimeout);
            Assert.Equal("/run/dnstap.sock", settings.Dnstap?.SocketPath);
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Fact]
    public void An_inline_token_serves_when_no_file_is_given() => Assert.Equal("t0k", Read(new() { ["ApiToken"] = "t0k" }).ApiToken);

    [Theory]
    [InlineData("AllowClient", "10.0.0.0/40", "--allow-client: '10.0.0.0/40': the prefix length must be 0 to 32")]
    [InlineData("RateLimit", "0", "--rate-limit: must be at least 1 query per second")]
    [InlineData("RateLimit", "fast", "--rate-limit: 'fast' is not a whole number")]
    [InlineData("RateLimitAction", "slip", "--rate-limit-action: 'slip' is not tc or drop")]
    [InlineData("ShutdownTimeout", "soon", "--shutdown-timeout: 'soon' is not a duration (e.g. 2s, 500ms)")]
    [InlineData("ApiTokenFile", "/nonexistent/token", "--api-token-file: cannot read '/nonexistent/token'")]
    [InlineData("Dnstap", "udp:127.0.0.1:6000", "--dnstap: 'udp:127.0.0.1:6000' is neither unix:/path/to/socket nor tcp:IP:PORT")]
    [InlineData("Dnstap", "tcp:127.0.0.1", "--dnstap: '127.0.0.1' has no port (write tcp:IP:PORT)")]
    public void Bad_values_are_one_clear_usage_error(string key, string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { [key] = value }));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
