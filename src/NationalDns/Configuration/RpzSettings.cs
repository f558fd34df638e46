using System.Net;
using ARSoft.Tools.Net;
using Microsoft.Extensions.Configuration;
using NationalDns.Net;
using NationalDns.Policy;
using NationalDns.Server.Admission;
using NationalDns.Server.Hosting;
using NationalDns.Server.Rpz;

namespace NationalDns.Configuration;

/// <summary>
/// The RPZ feed's settings (docs/rpz-feed.md): <c>RpzZone</c> (<c>--rpz-zone NAME</c>, the zone to publish the policy as),
/// <c>Notify</c> (<c>--notify IP:PORT</c>, repeatable) and <c>AllowTransfer</c> (<c>--allow-transfer CIDR</c>, repeatable).
/// </summary>
public static class RpzSettings
{
    public const string RpzZoneKey = "RpzZone";
    public const string NotifyKey = "Notify";
    public const string AllowTransferKey = "AllowTransfer";

    /// <summary>The zone's name, normalised (<c>rpz.nationaldns</c>: lower case, punycode, no trailing dot), or null when none is given.</summary>
    public static string? ReadZone(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[RpzZoneKey]) || configuration[RpzZoneKey] is not { } text)
        {
            return null;
        }

        var name = text.Trim();
        return name != "." && DomainName.TryParse(name.TrimEnd('.'), out var parsed) && parsed is { LabelCount: > 0 }
            && DomainNames.TryNormalizeCore(name.TrimEnd('.'), out var normal, out _)
            ? normal
            : throw new UsageException($"--rpz-zone: '{text}' is not a domain name (e.g. rpz.nationaldns.)");
    }

    /// <summary>Who may transfer the zone and whom to NOTIFY; a follower (<paramref name="primary"/> set) publishes nothing.</summary>
    public static RpzOptions ReadFeed(IConfigurationRoot configuration, string? zone, IPEndPoint? primary = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var notify = SettingsReader.List(configuration, NotifyKey)
            .Select(t => EndPoints.TryParse(t, 53, out var endPoint, out var error) ? endPoint : throw new UsageException($"--notify: {error}"))
            .ToArray();
        var allow = SettingsReader.List(configuration, AllowTransferKey)
            .Select(t => IpNetwork.TryParse(t, out var network, out var error) ? network : throw new UsageException($"--allow-transfer: {error}"))
            .ToArray();
        if (zone is null && (notify.Length > 0 || allow.Length > 0))
        {
            throw new UsageException($"{(notify.Length > 0 ? "--notify" : "--allow-transfer")} needs --rpz-zone: there is no zone to notify of or transfer");
        }

        if (primary is not null && (notify.Length > 0 || allow.Length > 0))
        {
            throw new UsageException($"{(notify.Length > 0 ? "--notify" : "--allow-transfer")}: a follower (--rpz-primary) does not publish the zone it follows");
        }

        return new RpzOptions
        {
            Notify = notify,
            AllowTransfer = allow.Length == 0 ? RpzOptions.DefaultAllowTransfer : allow,
        };
    }
}
