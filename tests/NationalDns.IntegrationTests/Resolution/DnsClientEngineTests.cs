using NationalDns.Core.Resolution;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>The DnsClient engine (<c>--forwarder dnsclient</c>) under the contract every engine keeps.</summary>
public sealed class DnsClientEngineTests : UpstreamEngineContract
{
    protected override ForwarderEngine Engine => ForwarderEngine.DnsClient;
}
