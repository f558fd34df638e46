namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Debian's Unbound run by a test: in the foreground, with everything it writes kept in the test's own folder,
/// listening on one IPv4 loopback port, logging to stderr, answering loopback clients only.
/// </summary>
internal static class UnboundSandbox
{
    public const string Binary = "/usr/sbin/unbound";

    public const string Package = "unbound";

    /// <summary>An <c>unbound.conf</c> for <paramref name="directory"/>: the sandbox's server options and <paramref name="serverOptions"/>, then <paramref name="clauses"/> (stub-zone:, forward-zone:, ...).</summary>
    public static string Config(string directory, int port, IEnumerable<string> serverOptions, string clauses = "") =>
        string.Join('\n', [
            "server:",
            $"  interface: 127.0.0.1@{port}",
            "  do-daemonize: no",
            "  username: \"\"",
            "  chroot: \"\"",
            $"  directory: \"{directory}\"",
            "  pidfile: \"\"",
            "  use-syslog: no",
            "  logfile: \"\"",
            "  verbosity: 1",
            "  do-ip6: no",
            "  access-control: 127.0.0.0/8 allow",
            .. serverOptions.Select(option => "  " + option),
            clauses,
        ]);
}
