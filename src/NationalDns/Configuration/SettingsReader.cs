using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Configuration;
using NationalDns.Core.Caching;
using NationalDns.Core.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Core.Resolution;
using NationalDns.Server.Admission;
using NationalDns.Server.Dnstap;
using NationalDns.Server.Hosting;
using NationalDns.Server.Transport;
using Serilog.Events;

namespace NationalDns.Configuration;

/// <summary>
/// Turns configuration keys into <see cref="NationalDnsSettings"/>, or a <see cref="UsageException"/> naming the one
/// thing that is wrong. Keys: Listen, Upstream, Bootstrap, Blocklist (lists: a JSON array or a comma-separated string),
/// Threads, TcpPerClient, MaxListSize, Action, BlockTtl, UpstreamTimeout, UpstreamFailures, UpstreamProbeInterval, UpstreamProbeName, LogFile, LogLevel, Seed, BlockPage, BlockPageHttps.
/// Operations (docs/operations.md): Http, ApiTokenFile, ApiToken, AllowClient (a list), RateLimit, RateLimitAction, ShutdownTimeout, Dnstap.
/// RPZ feed (docs/rpz-feed.md): RpzZone, Notify (a list), AllowTransfer (a list); RPZ follower: RpzZone, RpzPrimary, RpzCache; both: TsigKey or TsigKeyFile.
/// Query log (<see cref="QueryLogSettings"/>): QueryLog, DataDir, QueryLogRetention, QueryLogMaxSize.
/// Encrypted DNS (<see cref="TlsSettings"/>): ListenTls, ListenHttps (lists), TlsCert, TlsKey, TlsName (a list).
/// </summary>
public static class SettingsReader
{
    public const string EnvironmentPrefix = "NATIONALDNS_";

    /// <summary>Layers, lowest first: the JSON file (if given), NATIONALDNS_ variables, then the command-line values.</summary>
    public static IConfigurationRoot Layer(string? configFile, IReadOnlyDictionary<string, string?> commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new UsageException($"config file '{configFile}' not found");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"config file '{configFile}' is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    public static NationalDnsSettings Read(IConfigurationRoot configuration, Func<IReadOnlyList<IPEndPoint>> systemResolvers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(systemResolvers);

        var listenTexts = List(configuration, "Listen");
        var listen = listenTexts.Count == 0
            ? [ServerOptions.DefaultListen]
            : listenTexts.Select(t => EndPoint(t, defaultPort: 53, "--listen")).ToArray();

        // Upstreams given by name are looked up as the server starts (UpstreamNames); here only their spelling is checked.
        var specs = List(configuration, "Upstream").Select(UpstreamSettings.Spec).ToArray();
        var upstreams = specs.Length == 0
            ? systemResolvers().Select(UpstreamTarget.FromEndPoint).ToArray()
            : specs.Where(spec => spec.Address is not null).Select(spec => spec.ToTarget(spec.Address!)).ToArray();
        if (specs.Length == 0 && upstreams.Length == 0)
        {
            throw new UsageException("no upstream: /etc/resolv.conf names no nameserver; give --upstream IP[:PORT]");
        }

        var local = LocalAddresses();
        foreach (var upstream in upstreams)
        {
            if (NationalDnsSettings.WouldLoop(upstream.EndPoint, listen, local))
            {
                throw new UsageException($"upstream {EndPoints.Format(upstream.EndPoint)} is this server's own listen address: queries would loop");
            }
        }

        var blocklists = Blocklists(configuration);
        var follower = ReadFollower(configuration);
        var key = RpzSettings.ReadKey(configuration, follower.Zone);
        var blockPage = Blank(configuration["BlockPage"]) is { } blockPageText ? EndPoint(blockPageText, defaultPort: 80, "--blockpage") : null;
        var blockPageHttps = Blank(configuration["BlockPageHttps"]) is { } httpsText ? EndPoint(httpsText, defaultPort: 443, "--blockpage-https") : null;
        var blocking = BlockingSettings.Read(configuration);
        if ((blockPage ?? blockPageHttps) is { } page && !page.Address.Equals(IPAddress.Any) && !page.Address.Equals(IPAddress.IPv6Any))
        {
            // A bare "sinkhole" points browsers at the block page; a wildcard listen address names no address to point at.
            blocking = blocking with { BlockPageAddress = page.Address };
        }

        // Following a feed, the feed replaces the default folder; lists given explicitly are served beside it.
        IReadOnlyList<string> lists = blocklists.Count > 0 ? blocklists : follower.Primary is null ? ["blocklists"] : [];
        var queryLog = QueryLogSettings.Read(configuration);
        var encrypted = TlsSettings.Read(configuration, queryLog.DataDirectory, () => LocalAddresses());
        return new NationalDnsSettings
        {
            Server = new ServerOptions
            {
                Listen = listen,
                ListenTls = encrypted.Tls,
                Threads = ReadThreads(configuration),
                TcpPerClient = ReadTcpPerClient(configuration),
                ShutdownTimeout = Duration(configuration["ShutdownTimeout"], "--shutdown-timeout") ?? ServerOptions.DefaultShutdownTimeout,
            },
            Upstream = UpstreamSettings.Read(configuration, upstreams, specs),
            UpstreamSpecs = specs,
            Blocklists = lists,
            MaxListSize = BlockingSettings.ReadMaxListSize(configuration),
            Blocking = blocking with { ListRoots = lists },
            Cache = CacheSettings.Read(configuration),
            LogFile = Blank(configuration["LogFile"]),
            LogLevel = Level(configuration["LogLevel"]),
            Seed = Count(configuration["Seed"], "--seed", long.MaxValue),
            BlockPage = blockPage,
            BlockPageHttps = blockPageHttps,
            At = PolicySettings.ReadAt(configuration),
            Groups = PolicySettings.ReadGroups(configuration),
            Admission = AdmissionSettings.Read(configuration),
            Http = Blank(configuration["Http"]) is { } http ? EndPoint(http, defaultPort: 8080, "--http") : null,
            ApiToken = ReadApiToken(configuration),
            Dnstap = Blank(configuration["Dnstap"]) is { } dnstap ? Dnstap(dnstap) : null,
            RpzZone = follower.Zone,
            RpzFeed = RpzSettings.ReadFeed(configuration, follower.Zone, follower.Primary, key),
            RpzPrimary = follower.Primary,
            RpzCache = follower.Cache,
            RpzKey = key,
            QueryLog = queryLog,
            ListenHttps = encrypted.Https,
            Tls = encrypted.Options,
        };
    }

    private static int ReadThreads(IConfiguration configuration) => Count(configuration["Threads"], "--threads", int.MaxValue) switch
    {
        null => ServerOptions.DefaultThreads,
        long threads and >= 1 and <= ServerOptions.MaxThreads => (int)threads,
        _ => throw new UsageException($"--threads: must be 1 to {ServerOptions.MaxThreads}"),
    };

    private static int ReadTcpPerClient(IConfiguration configuration) => Count(configuration["TcpPerClient"], "--tcp-per-client", int.MaxValue) switch
    {
        null => TcpConnectionTable.DefaultPerClient,
        long perClient and <= TcpTransport.DefaultMaxConnections => (int)perClient,
        _ => throw new UsageException($"--tcp-per-client: must be 0 (no limit) to {TcpTransport.DefaultMaxConnections}, the TCP connections served at once"),
    };

    // The zone alone publishes the policy; with a primary, it is the zone followed from there instead.
    private static (string? Zone, IPEndPoint? Primary, string? Cache) ReadFollower(IConfiguration configuration)
    {
        var zone = RpzSettings.ReadZone(configuration);
        var primary = Blank(configuration["RpzPrimary"]) is { } primaryText ? EndPoint(primaryText, defaultPort: 53, "--rpz-primary") : null;
        if (primary is not null && zone is null)
        {
            throw new UsageException("--rpz-primary: give the zone to follow with --rpz-zone NAME");
        }

        var cache = Blank(configuration["RpzCache"]);
        if (cache is not null && primary is null)
        {
            throw new UsageException("--rpz-cache: only a follower keeps a cached copy; give --rpz-primary IP:PORT");
        }

        return (zone, primary, cache);
    }

    // The token file wins over a token given inline (config file or NATIONALDNS_API_TOKEN), which is handier for tests
    // than for production: a file can be a Kubernetes secret mounted read-only.
    private static string? ReadApiToken(IConfiguration configuration)
    {
        if (Blank(configuration["ApiTokenFile"]) is { } path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--api-token-file: cannot read '{path}': {e.Message}", e);
            }

            return Blank(text) ?? throw new UsageException($"--api-token-file: '{path}' is empty");
        }

        return Blank(configuration["ApiToken"]);
    }

    internal static long? Count(string? text, string option, long max)
    {
        if (Blank(text) is not { } value)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max
            ? number
            : throw new UsageException($"{option}: '{text}' is not a whole number");
    }

    internal static TimeSpan? Seconds(string? text, string option) =>
        Count(text, option, int.MaxValue) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>A list key from the highest layer that sets it, so a flag replaces a file's whole list instead of merging by index.</summary>
    public static IReadOnlyList<string> List(IConfigurationRoot configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var provider in configuration.Providers.Reverse())
        {
            var children = provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0)
            {
                return children
                    .OrderBy(k => int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                    .Select(k => provider.TryGet($"{key}:{k}", out var v) ? v : null)
                    .OfType<string>()
                    .Where(v => v.Length > 0)
                    .ToList();
            }

            if (provider.TryGet(key, out var value) && value is not null)
            {
                return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }

        return [];
    }

    /// <summary>
    /// The Blocklist key: strings (<c>lists/</c>, or <c>rpz:lists/policy.zone</c> to force a format) or, in the JSON file,
    /// objects <c>{"Path": "dump.csv", "Format": "rkn"}</c>; both become <c>FORMAT:PATH</c> strings for the loader.
    /// </summary>
    public static IReadOnlyList<string> Blocklists(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var provider in configuration.Providers.Reverse())
        {
            var children = provider.GetChildKeys([], "Blocklist").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0 && children.Any(k => provider.TryGet($"Blocklist:{k}:Path", out _) || provider.TryGet($"Blocklist:{k}:Format", out _)))
            {
                return children
                    .OrderBy(k => int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                    .Select(k => BlocklistEntry(provider, $"Blocklist:{k}"))
                    .OfType<string>()
                    .ToList();
            }
        }

        return List(configuration, "Blocklist");
    }

    // One array element: a plain string, or an object with Path and an optional Format.
    private static string? BlocklistEntry(IConfigurationProvider provider, string key)
    {
        if (provider.TryGet(key, out var text))
        {
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }

        if (!provider.TryGet($"{key}:Path", out var path) || string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"Blocklist: an entry has no \"Path\"");
        }

        if (!provider.TryGet($"{key}:Format", out var formatText) || string.IsNullOrWhiteSpace(formatText) || formatText.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return path.Trim();
        }

        return ListFormats.TryParse(formatText, out var format)
            ? new ListSource(path.Trim(), format).ToString()
            : throw new UsageException($"Blocklist: unknown format '{formatText}' for '{path}' (expected one of: {ListFormats.Names}, or auto)");
    }

    private static DnstapTarget Dnstap(string text) =>
        DnstapTarget.TryParse(text, out var target, out var error) ? target : throw new UsageException($"--dnstap: {error}");

    internal static IPEndPoint EndPoint(string text, int defaultPort, string option) =>
        EndPoints.TryParse(text, defaultPort, out var endPoint, out var error) ? endPoint : throw new UsageException($"{option}: {error}");

    internal static TimeSpan? Duration(string? text, string option)
    {
        if (Blank(text) is null)
        {
            return null;
        }

        if (!Durations.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            throw new UsageException($"{option}: '{text}' is not a duration (e.g. 2s, 500ms)");
        }

        return duration;
    }

    private static LogEventLevel Level(string? text) => Blank(text)?.ToLowerInvariant() switch
    {
        null => LogEventLevel.Information,
        "verbose" or "trace" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "information" or "info" => LogEventLevel.Information,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" => LogEventLevel.Fatal,
        _ => throw new UsageException($"--log-level: '{text}' is not one of trace, debug, information, warning, error, fatal"),
    };

    internal static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>This machine's addresses, loopback always among them: what the loop check counts as here.</summary>
    internal static HashSet<IPAddress> LocalAddresses()
    {
        var addresses = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Interface enumeration is best effort; loopback is the case that matters.
        }

        return addresses;
    }
}
