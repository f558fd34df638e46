using ARSoft.Tools.Net;
using Microsoft.Extensions.Configuration;
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

    /// <summary>The zone name as given (<c>rpz.nationaldns.</c>), or null when no feed is published.</summary>
    public static string? ReadZone(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[RpzZoneKey]) || configuration[RpzZoneKey] is not { } text)
        {
            return null;
        }

        var name = text.Trim();
        return name != "." && DomainName.TryParse(name.TrimEnd('.'), out var parsed) && parsed is { LabelCount: > 0 } && name.All(c => c > ' ' && c < 0x7f)
            ? name
            : throw new UsageException($"--rpz-zone: '{text}' is not a domain name (e.g. rpz.nationaldns.)");
    }

    public static RpzOptions ReadFeed(IConfigurationRoot configuration, string? zone)
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

        return new RpzOptions
        {
            Notify = notify,
            AllowTransfer = allow.Length == 0 ? RpzOptions.DefaultAllowTransfer : allow,
        };
    }
}
