using System.Net;
using NationalDns.Core.Net;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Admission;

namespace NationalDns.Server.Rpz;

/// <summary>Who may transfer the published policy zone and whom to tell of changes: <c>--allow-transfer</c>, <c>--notify</c>, <c>--tsig-key</c>.</summary>
public sealed record RpzOptions
{
    /// <summary>Loopback only: a policy feed names everything a censor blocks, so it is handed out only where asked for.</summary>
    public static readonly IReadOnlyList<IpNetwork> DefaultAllowTransfer = [IpNetwork.Parse("127.0.0.0/8"), IpNetwork.Parse("::1/128")];

    /// <summary>Clients allowed AXFR and IXFR of the zone; others get REFUSED.</summary>
    public IReadOnlyList<IpNetwork> AllowTransfer { get; init; } = DefaultAllowTransfer;

    /// <summary>Where a NOTIFY (RFC 1996) goes on every new serial.</summary>
    public IReadOnlyList<IPEndPoint> Notify { get; init; } = [];

    /// <summary>The TSIG key transfers must be signed with, and NOTIFYs and answers are signed with; null: none asked for.</summary>
    public TsigKey? Key { get; init; }
}
