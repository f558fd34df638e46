using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy;
using NationalDns.Server.Admission;
using NationalDns.Server.Metrics;

namespace NationalDns.UnitTests.Server.Metrics;

public sealed class DnsMetricsTests
{
    [Fact]
    public void Counting_what_the_udp_receive_loop_counts_allocates_nothing()
    {
        using var metrics = new DnsMetrics();
        var rule = new BlockRule("blocked.test", false, false, BlockAction.NxDomain, new RuleSource("lists/national.txt", 3));
        var admission = new ClientAdmission(new AdmissionOptions { RateLimit = 1_000_000 }, TimeProvider.System);
        var client = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 5353).Serialize();
        void CountOnce()
        {
            metrics.CountRefused(TransportProtocol.Udp, rule);
            metrics.CountCachedUdp(100);
            metrics.CountQuery(TransportProtocol.Udp, ServedOutcome.RateLimited);
            admission.CheckUdp(client);
        }

        CountOnce(); // first sight of the (action, list) pair creates its child; first calls initialise lazily
        CountOnce();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            CountOnce();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task The_exposition_has_every_outcome_for_both_transports_from_the_start()
    {
        using var metrics = new DnsMetrics();
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        foreach (var protocol in new[] { "udp", "tcp" })
        {
            foreach (var outcome in new[] { "forwarded", "blocked", "dropped", "rejected", "upstream_failed", "cached", "refused_client", "rate_limited" })
            {
                Assert.Contains($"nationaldns_queries_total{{protocol=\"{protocol}\",outcome=\"{outcome}\"}} 0", lines);
            }
        }
    }

    [Fact]
    public void A_socket_address_of_another_family_is_refused() =>
        Assert.Equal(AdmissionVerdict.Refuse, new ClientAdmission(new AdmissionOptions(), TimeProvider.System).CheckUdp(new SocketAddress(AddressFamily.Unix, 32)));
}
