using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.UnitTests.Rpz.Following;

/// <summary>Records of the test zone <c>rpz.test</c> as a transfer carries them.</summary>
internal static class Transfers
{
    public const string ZoneName = "rpz.test";

    public static SoaRecord Soa(uint serial, int refresh = 60, int retry = 10, int expire = 3600) =>
        new(DomainName.Parse(ZoneName), 60, DomainName.Parse("ns.rpz.test"), DomainName.Parse("hostmaster.rpz.test"), serial, refresh, retry, expire, 60);

    /// <summary>A CNAME policy for <paramref name="trigger"/> (relative to the zone): "." is NXDOMAIN, "*." NODATA, "rpz-passthru." an exception.</summary>
    public static CNameRecord Cname(string trigger, string target) =>
        new(DomainName.Parse($"{trigger}.{ZoneName}"), 60, target == "." ? DomainName.Root : DomainName.Parse(target));

    public static ARecord A(string trigger, string address) => new(DomainName.Parse($"{trigger}.{ZoneName}"), 60, IPAddress.Parse(address));

    public static AaaaRecord Aaaa(string trigger, string address) => new(DomainName.Parse($"{trigger}.{ZoneName}"), 60, IPAddress.Parse(address));
}
