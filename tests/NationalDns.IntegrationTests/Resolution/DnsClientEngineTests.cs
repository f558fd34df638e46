using NationalDns.Core.Resolution;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The DnsClient engine (<c>--forwarder dnsclient</c>) under the contract every engine keeps. It takes no clock: the
/// pool's token, on the server's clock, ends its attempts, while its own backstop timer runs on the real one.
/// </summary>
public sealed class DnsClientEngineTests : UpstreamEngineContract
{
    protected override ForwarderEngine Engine => ForwarderEngine.DnsClient;
}
