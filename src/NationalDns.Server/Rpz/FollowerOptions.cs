using System.Net;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Hosting;

namespace NationalDns.Server.Rpz;

/// <summary>What <c>--rpz-primary IP:PORT --rpz-zone NAME [--rpz-cache FILE]</c> asks for: follow that zone from that primary.</summary>
public sealed record FollowerOptions
{
    public static readonly TimeSpan DefaultTransferTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The zone's name: absolute, lower case, without the final dot.</summary>
    public required string Zone { get; init; }

    public required IPEndPoint Primary { get; init; }

    /// <summary>Where the last good copy is kept across restarts; null keeps it in memory only.</summary>
    public string? CacheFile { get; init; }

    /// <summary>The TSIG key requests are signed with and answers and NOTIFYs must be signed with; null: none.</summary>
    public TsigKey? Key { get; init; }

    /// <summary>How long each step of a transfer (connecting, each message) may take.</summary>
    public TimeSpan TransferTimeout { get; init; } = DefaultTransferTimeout;

    /// <summary>What rules cite as their file: <c>rpz:rpz.example.@127.0.0.1:5300</c>, then the record number.</summary>
    public string SourceName => $"rpz:{Zone}.@{EndPoints.Format(Primary)}";

    /// <summary>Whether a NOTIFY from <paramref name="sender"/> comes from the primary (by address: a NOTIFY's source port is any).</summary>
    public bool IsPrimary(IPAddress sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var unmapped = sender.IsIPv4MappedToIPv6 ? sender.MapToIPv4() : sender;
        return unmapped.Equals(Primary.Address);
    }
}
