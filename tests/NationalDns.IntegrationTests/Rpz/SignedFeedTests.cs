using System.Globalization;
using System.Text;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Rpz;

/// <summary>
/// The feed with <c>--tsig-key</c>, transferred by the real <c>dig -k</c> (which checks the signature of every message it
/// reads) with a key from the real <c>tsig-keygen</c>: signed with the key it is served, signed; otherwise refused, and the
/// log says why.
/// </summary>
public sealed class SignedFeedTests : IAsyncLifetime
{
    private const string Zone = "rpz.test";
    private const string Dig = "/usr/bin/dig";
    private const int Names = 3000; // about 100 KB of zone: several messages of at most 16 KiB each

    private readonly string _keys = Directory.CreateTempSubdirectory("nationaldns-tsig-").FullName;
    private FakeUpstream _upstream = null!;
    private TestServer _server = null!;

    private string KeyFile => Path.Combine(_keys, "feed.key");

    public async Task InitializeAsync()
    {
        var key = await TsigKeygen.WriteAsync(KeyFile, "nd-feed");
        var list = new StringBuilder("whatsapp.com\n");
        for (var i = 0; i < Names; i++)
        {
            list.Append(CultureInfo.InvariantCulture, $"blocked-{i}.example\n");
        }

        _upstream = await FakeUpstream.StartAsync();
        _server = await TestServer.StartAsync(_upstream, list.ToString(), s => s with { RpzZone = Zone + ".", RpzKey = key });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [InstalledFact(TsigKeygen.Binary, TsigKeygen.Package, Dig, "bind9-dnsutils")]
    public async Task Dig_with_the_key_gets_the_whole_zone_every_message_signed()
    {
        var output = await DigAsync("-k", KeyFile, Zone, "AXFR");

        Assert.DoesNotContain("failed", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("verify", output, StringComparison.OrdinalIgnoreCase); // dig's "Couldn't verify signature"
        Assert.Matches(@"(?m)^blocked-2999\.example\.rpz\.test\.\s+\d+\s+IN\s+CNAME\s+\.$", output);
        var size = System.Text.RegularExpressions.Regex.Match(output, @"XFR size: (\d+) records \(messages (\d+),");
        Assert.True(size.Success, output);
        Assert.Equal(2 * (Names + 1) + 4, int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture)); // SOA, NS, TXT, two per rule, SOA
        Assert.True(int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture) > 3, output);
        Assert.Matches(@"(?m)^nd-feed\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\. \d+ 300 32 \S+ \d+ NOERROR 0\s*$", output); // dig shows the TSIG it verified
    }

    [InstalledFact(TsigKeygen.Binary, TsigKeygen.Package, Dig, "bind9-dnsutils")]
    public async Task Dig_without_a_key_or_with_another_secret_is_refused_and_the_log_says_why()
    {
        var other = Path.Combine(_keys, "other.key");
        await TsigKeygen.WriteAsync(other, "nd-feed"); // the same name, another secret

        var unsigned = await DigAsync(Zone, "AXFR");
        var wrong = await DigAsync("-k", other, Zone, "AXFR");

        Assert.Contains("Transfer failed", unsigned, StringComparison.Ordinal);
        Assert.Contains("Transfer failed", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain("blocked-1.example", unsigned + wrong, StringComparison.Ordinal);
        Assert.Contains("; Transfer failed.", unsigned, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^nd-feed\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\. \d+ 300 0 \d+ BADSIG 0\s*$", wrong); // NOTAUTH with the error, unsigned
        Assert.Contains(Refusals(), reason => reason == "not signed (TSIG key nd-feed required)");
        Assert.Contains(Refusals(), reason => reason == "bad MAC for key nd-feed (another secret?)");
    }

    [InstalledFact(TsigKeygen.Binary, TsigKeygen.Package, Dig, "bind9-dnsutils")]
    public async Task A_signed_SOA_query_over_UDP_is_answered_signed_and_an_unsigned_one_still_answered()
    {
        var signed = await DigAsync("-k", KeyFile, Zone, "SOA");
        var plain = await DigAsync(Zone, "SOA");

        Assert.Contains("status: NOERROR", signed, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^nd-feed\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\. \d+ 300 32 \S+ \d+ NOERROR 0\s*$", signed);
        Assert.DoesNotContain("verify", signed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("status: NOERROR", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("TSIG", plain, StringComparison.Ordinal);
    }

    // The reasons of "{Type} from {Client} refused: TSIG {Reason}".
    private IEnumerable<string?> Refusals() =>
        _server.Log.Events.Where(e => e.MessageTemplate.Text.Contains("refused: TSIG", StringComparison.Ordinal)).Select(e => CollectingSink.Property(e, "Reason"));

    private async Task<string> DigAsync(params string[] arguments)
    {
        var (_, output, error) = await ProgramRun.RunAsync(Dig, [$"@{_server.EndPoint.Address}", "-p", _server.EndPoint.Port.ToString(CultureInfo.InvariantCulture), "+tries=1", "+time=3", .. arguments]);
        return output + error;
    }
}
