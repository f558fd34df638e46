using System.Net;
using ARSoft.Tools.Net;
using Microsoft.Extensions.Configuration;
using NationalDns.Core.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Admission;
using NationalDns.Server.Hosting;
using NationalDns.Server.Rpz;

namespace NationalDns.Configuration;

/// <summary>
/// The RPZ feed's settings (docs/rpz-feed.md): <c>RpzZone</c> (<c>--rpz-zone NAME</c>, the zone to publish the policy as),
/// <c>Notify</c> (<c>--notify IP:PORT</c>, repeatable), <c>AllowTransfer</c> (<c>--allow-transfer CIDR</c>, repeatable),
/// and, publishing or following, <c>TsigKey</c> (<c>--tsig-key NAME:ALG:SECRET</c>) or <c>TsigKeyFile</c> (<c>--tsig-key-file FILE</c>).
/// </summary>
public static class RpzSettings
{
    public const string RpzZoneKey = "RpzZone";
    public const string NotifyKey = "Notify";
    public const string AllowTransferKey = "AllowTransfer";
    public const string TsigKeyKey = "TsigKey";
    public const string TsigKeyFileKey = "TsigKeyFile";

    /// <summary>With a key, the key is the access control: any address may transfer what it can sign for, as BIND's <c>allow-transfer { key NAME; }</c>.</summary>
    public static readonly IReadOnlyList<IpNetwork> AnyAddress = [IpNetwork.Parse("0.0.0.0/0"), IpNetwork.Parse("::/0")];

    /// <summary>The TSIG key of <c>--tsig-key</c> or <c>--tsig-key-file</c>, or null when neither is given.</summary>
    public static TsigKey? ReadKey(IConfiguration configuration, string? zone)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[TsigKeyKey] is { } t && !string.IsNullOrWhiteSpace(t) ? t : null;
        var file = configuration[TsigKeyFileKey] is { } f && !string.IsNullOrWhiteSpace(f) ? f.Trim() : null;
        if (text is null && file is null)
        {
            return null;
        }

        var flag = text is not null ? "--tsig-key" : "--tsig-key-file";
        if (text is not null && file is not null)
        {
            throw new UsageException("--tsig-key and --tsig-key-file: give the key one way, not both");
        }

        if (zone is null)
        {
            throw new UsageException($"{flag} needs --rpz-zone: the key signs the RPZ feed's transfers");
        }

        try
        {
            return text is not null ? TsigKeyReader.Parse(text) : TsigKeyReader.ParseKeyFile(File.ReadAllText(file!), file!);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{flag}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--tsig-key-file: cannot read {file}: {e.Message}");
        }
    }

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
    public static RpzOptions ReadFeed(IConfigurationRoot configuration, string? zone, IPEndPoint? primary = null, TsigKey? key = null)
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
            AllowTransfer = allow.Length > 0 ? allow : key is null ? RpzOptions.DefaultAllowTransfer : AnyAddress,
        };
    }
}
