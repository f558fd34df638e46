using System.CommandLine;

namespace NationalDns.Cli;

/// <summary>
/// The command line: <c>serve</c> (the default, so it may be omitted), <c>check PATH...</c> and <c>explain NAME</c>.
/// Flags become configuration keys (<see cref="Configuration.SettingsReader"/>); they never fill a settings object directly.
/// </summary>
internal static class CommandLine
{
    public static RootCommand Build(Func<ParseResult, CancellationToken, Task<int>> serve, Func<ParseResult, int> check, Func<ParseResult, int> explain)
    {
        var root = new RootCommand("NationalDns: a DNS server that simulates national DNS blocking. It answers names on its blocklists as a censor would, forwards the rest upstream, and logs every refusal.");
        AddServeOptions(root);
        root.SetAction(serve);

        var serveCommand = new Command("serve", "Serve DNS over UDP and TCP, and over TLS and HTTPS with --listen-tls and --listen-https (the default command).");
        AddServeOptions(serveCommand);
        serveCommand.SetAction(serve);
        root.Subcommands.Add(serveCommand);

        var checkCommand = new Command("check", "Check list files: print rule counts per file and every bad line as file:line: reason. Exit 1 if any line is bad or a file is refused (over --max-list-size).");
        checkCommand.Arguments.Add(new Argument<string[]>(Names.Paths) { Arity = ArgumentArity.OneOrMore, Description = "List files or folders; FORMAT:PATH forces a format (native, hosts, adblock, rpz, rkn)." });
        checkCommand.Options.Add(new Option<string>(Names.Action) { Description = "Default action, as in a list (e.g. \"sinkhole 192.0.2.1\")." });
        checkCommand.Options.Add(new Option<string>(Names.Config) { Description = "JSON settings file, as serve takes it: its Action, Group, At and MaxListSize apply to the check." });
        checkCommand.Options.Add(MaxListSizeOption());
        AddTimeAndPlaceOptions(checkCommand);
        checkCommand.SetAction(check);
        root.Subcommands.Add(checkCommand);

        var explainCommand = new Command("explain", "Show which rule decides a name and the exact answer the server would give.");
        explainCommand.Arguments.Add(new Argument<string>(Names.Name) { Description = "The name to look up." });
        explainCommand.Options.Add(new Option<string>(Names.Type) { Description = "Query type (default A).", DefaultValueFactory = _ => "A" });
        explainCommand.Options.Add(new Option<string>(Names.Client) { Description = "The client's IP address: shows its group and the answer it gets." });
        AddListOptions(explainCommand);
        explainCommand.SetAction(explain);
        root.Subcommands.Add(explainCommand);
        return root;
    }

    private static void AddServeOptions(Command command)
    {
        command.Options.Add(new Option<string[]>(Names.Listen) { Description = "IP:PORT to serve on, UDP and TCP (repeatable; default 127.0.0.1:1053; IPv6 as [::1]:1053)." });
        command.Options.Add(new Option<string>(Names.Threads) { Description = "UDP receive threads per listen address, each with its own socket on the shared port (SO_REUSEPORT, Linux); blocked and cached answers use this many cores (default: the number of processors)." });
        command.Options.Add(new Option<string[]>(Names.Upstream) { Description = "Upstream resolver: IP[:PORT], [IPv6][:PORT], NAME[:PORT] (looked up at start and again on its TTL), or DNS over TLS as tls://IP[:PORT][@TLSNAME] or tls://NAME[:PORT] (port 853) (repeatable; default: the nameservers in /etc/resolv.conf)." });
        command.Options.Add(new Option<string[]>(Names.Bootstrap) { Description = "Resolver IP[:PORT] that upstreams given by name are looked up with (repeatable; default: the nameservers in /etc/resolv.conf; unused when every upstream is an address)." });
        command.Options.Add(new Option<string>(Names.UpstreamTimeout) { Description = "How long to wait for the upstream before answering SERVFAIL (default 2s)." });
        command.Options.Add(new Option<string>(Names.UpstreamFailures) { Description = "Failures in a row (timeout, error, SERVFAIL) after which an upstream counts as unhealthy and is only probed (default 3)." });
        command.Options.Add(new Option<string>(Names.UpstreamProbeInterval) { Description = "How often an unhealthy upstream is probed (default 5s)." });
        command.Options.Add(new Option<string>(Names.UpstreamProbeName) { Description = "The name asked (type NS) to probe an unhealthy upstream (default: the root, \".\")." });
        command.Options.Add(new Option<string>(Names.Forwarder) { Description = "Engine that asks the upstreams: wire (default; checks every reply against its query, 0x20, CD) or dnsclient (the DnsClient library)." });
        command.Options.Add(new Option<string>(Names.Upstream0x20) { Description = "on (default) or off: randomise the letter case of names sent upstream and reject replies that do not echo it (wire engine)." });
        command.Options.Add(new Option<string>(Names.CacheSize) { Description = "Most answers kept in the response cache; 0 turns it off (default 50000)." });
        command.Options.Add(new Option<string>(Names.CacheMinTtl) { Description = "Keep cached answers at least this many seconds (default 0)." });
        command.Options.Add(new Option<string>(Names.CacheMaxTtl) { Description = "Keep cached answers at most this many seconds (default 86400)." });
        command.Options.Add(new Option<string>(Names.CacheNegativeMaxTtl) { Description = "Keep NXDOMAIN/NODATA answers at most this many seconds (default 3600)." });
        command.Options.Add(new Option<string>(Names.LogFile) { Description = "Also write events as JSON lines to this file." });
        command.Options.Add(new Option<string>(Names.LogLevel) { Description = "trace (every event, also called verbose), debug, information (default), warning, error or fatal." });
        command.Options.Add(new Option<string>(Names.Seed) { Description = "Seed of throttle's random drops and jitter, so a run can be replayed exactly (default: random, logged at startup)." });
        command.Options.Add(new Option<string>(Names.BlockPage) { Description = "IP:PORT to serve the HTTP block page on for sinkholed and stub names (default: off)." });
        command.Options.Add(new Option<string>(Names.BlockPageHttps) { Description = "IP:PORT to serve the block page over HTTPS on, with a certificate per name signed by a local CA kept in --data-dir (export it with: nationaldns ca export) (default: off)." });
        AddEncryptedOptions(command);
        AddOperationsOptions(command);
        AddFollowerOptions(command);
        AddListOptions(command);
    }

    private static void AddEncryptedOptions(Command command)
    {
        command.Options.Add(new Option<string[]>(Names.ListenTls) { Description = "IP:PORT to serve DNS over TLS on (RFC 7858; repeatable; port 853 by convention; default: off)." });
        command.Options.Add(new Option<string[]>(Names.ListenHttps) { Description = "IP:PORT to serve DNS over HTTPS on, at /dns-query (RFC 8484; HTTP/2 and HTTP/1.1; repeatable; port 443 by convention; default: off)." });
        command.Options.Add(new Option<string>(Names.TlsCert) { Description = "PEM certificate (with its chain) for --listen-tls and --listen-https, re-read when it changes (default: a self-signed one kept in --data-dir, its pin logged at start)." });
        command.Options.Add(new Option<string>(Names.TlsKey) { Description = "PEM private key of --tls-cert." });
        command.Options.Add(new Option<string[]>(Names.TlsName) { Description = "Host name or IP address the self-signed certificate is made for (repeatable; default: this host's name and the encrypted listen addresses)." });
    }

    private static void AddFollowerOptions(Command command)
    {
        command.Options.Add(new Option<string>(Names.RpzPrimary) { Description = "IP:PORT of the primary to follow --rpz-zone from by AXFR/IXFR; its policy replaces the default blocklists/ folder (default: off)." });
        command.Options.Add(new Option<string>(Names.RpzCache) { Description = "File where the follower keeps the last good copy of the zone, served at startup while the primary is down (default: memory only)." });
        command.Options.Add(new Option<string>(Names.TsigKey) { Description = "TSIG key NAME:ALGORITHM:SECRET (hmac-sha256, hmac-sha512, hmac-sha384 or hmac-sha1; base64 secret) for the RPZ feed: transfers and NOTIFYs must be signed with it, answers are signed (default: none)." });
        command.Options.Add(new Option<string>(Names.TsigKeyFile) { Description = "The same TSIG key from a file in BIND's format, as tsig-keygen prints it: key \"NAME\" { algorithm ALG; secret \"BASE64\"; }; (default: none)." });
    }

    private static void AddOperationsOptions(Command command)
    {
        command.Options.Add(new Option<string>(Names.Http) { Description = "IP:PORT for the web console /, /metrics, /healthz, /readyz and the API /api (default: off)." });
        command.Options.Add(new Option<string>(Names.ApiTokenFile) { Description = "File holding the API's bearer token, needed for rule changes and for reads from other hosts (default: none; changes then only from this machine with --http on loopback)." });
        command.Options.Add(new Option<string[]>(Names.AllowClient) { Description = "CIDR range allowed to query (repeatable; default: loopback, private, 100.64.0.0/10 and link-local ranges). Others get REFUSED." });
        command.Options.Add(new Option<string>(Names.RateLimit) { Description = "UDP queries per second per client /24 (IPv4) or /56 (IPv6) (default: no limit)." });
        command.Options.Add(new Option<string>(Names.RateLimitAction) { Description = "What an over-limit UDP query gets: tc (default; an empty truncated answer, so real clients retry over TCP) or drop." });
        command.Options.Add(new Option<string>(Names.Dnstap) { Description = "Send every query and answer as dnstap to a collector: unix:/path/to/socket or tcp:IP:PORT (Frame Streams; default: off)." });
        command.Options.Add(new Option<string>(Names.TcpPerClient) { Description = "TCP connections one client address may hold at once, 0 for no limit (default 100 of the 1000 served at once; a full table closes the connection idle longest for a newcomer)." });
        command.Options.Add(new Option<string>(Names.ShutdownTimeout) { Description = "On SIGTERM, how long queries in flight may take to finish (default 5s)." });
        command.Options.Add(new Option<string>(Names.RpzZone) { Description = "Publish the policy in force as this RPZ zone (e.g. rpz.nationaldns.), by AXFR/IXFR over TCP; with --rpz-primary, the zone to follow instead (default: off)." });
        command.Options.Add(new Option<string[]>(Names.Notify) { Description = "IP:PORT to send a NOTIFY to on every change of the RPZ zone (repeatable)." });
        command.Options.Add(new Option<string[]>(Names.AllowTransfer) { Description = "CIDR range allowed to transfer the RPZ zone (repeatable; default: loopback). Others get REFUSED." });
        command.Options.Add(new Option<string>(Names.QueryLog) { Description = "Where the query log is kept: sqlite (default; querylog.db in --data-dir) or off (the last 10,000 entries in memory only)." });
        command.Options.Add(new Option<string>(Names.DataDir) { Description = "Folder for the query log database and the HTTPS block page's CA, created if missing (default ./data)." });
        command.Options.Add(new Option<string>(Names.QueryLogRetention) { Description = "Delete query log entries older than this: 30m, 12h, 7d (default 7d)." });
        command.Options.Add(new Option<string>(Names.QueryLogMaxSize) { Description = "Largest size of the query log file; past it the oldest entries go: 200KB, 500MB, 1GB, or bytes (default 1GB)." });
    }

    private static void AddListOptions(Command command)
    {
        command.Options.Add(new Option<string[]>(Names.Blocklist) { Description = "List file or folder (repeatable; default blocklists/ in the current folder). The format is recognised by content; FORMAT:PATH forces one of native, hosts, adblock, rpz, rkn." });
        command.Options.Add(new Option<string>(Names.Action) { Description = "Default action for rules without one: nxdomain (default), nodata, refused, servfail, sinkhole [IPv4] [IPv6], drop, tcp-only, throttle DELAY [loss=P%] [jitter=J], forge [IP...], stub PROFILE." });
        command.Options.Add(MaxListSizeOption());
        command.Options.Add(new Option<string>(Names.BlockTtl) { Description = "TTL and SOA minimum of blocked answers, in seconds (default 60)." });
        command.Options.Add(new Option<string>(Names.EdeDetail) { Description = "What the Extended DNS Error text of a blocked answer names: path (default: the rule and its file, relative to the list folder), rule (the rule only) or none (no text)." });
        command.Options.Add(new Option<string>(Names.Config) { Description = $"JSON file with the same settings; each key is an option's name in PascalCase: {string.Join(", ", Names.ConfigurationKeys.Values)}; and ApiToken, the API token itself, which has no flag so that it never shows in a process list. Options given on the command line win." });
        AddTimeAndPlaceOptions(command);
    }

    private static Option<string> MaxListSizeOption() =>
        new(Names.MaxListSize) { Description = "A list file larger than this is refused with an error instead of loaded; the other lists still load: 100MB, 1GB, or bytes (default 512MB)." };

    private static void AddTimeAndPlaceOptions(Command command)
    {
        command.Options.Add(new Option<string>(Names.At) { Description = "Evaluate rule dates as of this moment (2026-02-12, 2026-02-12T09:30, ...+03:00); serve starts its clock there." });
        command.Options.Add(new Option<string[]>(Names.Group) { Description = "Client group NAME=CIDR[,CIDR...][;regime=allowlist][;action=ACTION] (repeatable)." });
    }

    /// <summary>Option and argument names, and the configuration key each option feeds.</summary>
    internal static class Names
    {
        public const string Listen = "--listen";
        public const string Threads = "--threads";
        public const string Upstream = "--upstream";
        public const string Bootstrap = "--bootstrap";
        public const string UpstreamTimeout = "--upstream-timeout";
        public const string UpstreamFailures = "--upstream-failures";
        public const string UpstreamProbeInterval = "--upstream-probe-interval";
        public const string UpstreamProbeName = "--upstream-probe-name";
        public const string Blocklist = "--blocklist";
        public const string Action = "--action";
        public const string BlockTtl = "--block-ttl";
        public const string EdeDetail = "--ede-detail";
        public const string MaxListSize = "--max-list-size";
        public const string LogFile = "--log-file";
        public const string CacheSize = "--cache-size";
        public const string CacheMinTtl = "--cache-min-ttl";
        public const string CacheMaxTtl = "--cache-max-ttl";
        public const string CacheNegativeMaxTtl = "--cache-negative-max-ttl";
        public const string LogLevel = "--log-level";
        public const string Http = "--http";
        public const string ApiTokenFile = "--api-token-file";
        public const string AllowClient = "--allow-client";
        public const string RateLimit = "--rate-limit";
        public const string RateLimitAction = "--rate-limit-action";
        public const string ShutdownTimeout = "--shutdown-timeout";
        public const string TcpPerClient = "--tcp-per-client";
        public const string Dnstap = "--dnstap";
        public const string RpzZone = "--rpz-zone";
        public const string Notify = "--notify";
        public const string AllowTransfer = "--allow-transfer";
        public const string RpzPrimary = "--rpz-primary";
        public const string RpzCache = "--rpz-cache";
        public const string TsigKey = "--tsig-key";
        public const string TsigKeyFile = "--tsig-key-file";
        public const string QueryLog = "--query-log";
        public const string DataDir = "--data-dir";
        public const string QueryLogRetention = "--query-log-retention";
        public const string QueryLogMaxSize = "--query-log-max-size";
        public const string Config = "--config";
        public const string Seed = "--seed";
        public const string Forwarder = "--forwarder";
        public const string Upstream0x20 = "--upstream-0x20";
        public const string BlockPage = "--blockpage";
        public const string BlockPageHttps = "--blockpage-https";
        public const string ListenTls = "--listen-tls";
        public const string ListenHttps = "--listen-https";
        public const string TlsCert = "--tls-cert";
        public const string TlsKey = "--tls-key";
        public const string TlsName = "--tls-name";
        public const string Type = "--type";
        public const string At = "--at";
        public const string Group = "--group";
        public const string Client = "--client";
        public const string Paths = "paths";
        public const string Name = "name";

        /// <summary>Flag → configuration key. Lists are joined with commas, which <see cref="Configuration.SettingsReader.List"/> splits again.</summary>
        public static readonly IReadOnlyDictionary<string, string> ConfigurationKeys = new Dictionary<string, string>
        {
            [Listen] = "Listen",
            [Threads] = "Threads",
            [Upstream] = "Upstream",
            [Bootstrap] = "Bootstrap",
            [UpstreamTimeout] = "UpstreamTimeout",
            [UpstreamFailures] = "UpstreamFailures",
            [UpstreamProbeInterval] = "UpstreamProbeInterval",
            [UpstreamProbeName] = "UpstreamProbeName",
            [Forwarder] = "Forwarder",
            [Upstream0x20] = "Upstream0x20",
            [Blocklist] = "Blocklist",
            [Action] = "Action",
            [BlockTtl] = "BlockTtl",
            [EdeDetail] = "EdeDetail",
            [MaxListSize] = "MaxListSize",
            [LogFile] = "LogFile",
            [CacheSize] = "CacheSize",
            [CacheMinTtl] = "CacheMinTtl",
            [CacheMaxTtl] = "CacheMaxTtl",
            [CacheNegativeMaxTtl] = "CacheNegativeMaxTtl",
            [LogLevel] = "LogLevel",
            [Seed] = "Seed",
            [BlockPage] = "BlockPage",
            [BlockPageHttps] = "BlockPageHttps",
            [ListenTls] = "ListenTls",
            [ListenHttps] = "ListenHttps",
            [TlsCert] = "TlsCert",
            [TlsKey] = "TlsKey",
            [TlsName] = "TlsName",
            [At] = "At",
            [Group] = "Group",
            [Http] = "Http",
            [ApiTokenFile] = "ApiTokenFile",
            [AllowClient] = "AllowClient",
            [RateLimit] = "RateLimit",
            [RateLimitAction] = "RateLimitAction",
            [ShutdownTimeout] = "ShutdownTimeout",
            [TcpPerClient] = "TcpPerClient",
            [Dnstap] = "Dnstap",
            [RpzZone] = "RpzZone",
            [Notify] = "Notify",
            [AllowTransfer] = "AllowTransfer",
            [RpzPrimary] = "RpzPrimary",
            [RpzCache] = "RpzCache",
            [TsigKey] = "TsigKey",
            [TsigKeyFile] = "TsigKeyFile",
            [QueryLog] = "QueryLog",
            [DataDir] = "DataDir",
            [QueryLogRetention] = "QueryLogRetention",
            [QueryLogMaxSize] = "QueryLogMaxSize",
        };
    }
}
