namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Debian's BIND 9 (<c>named</c>) run by a test: its configuration with everything it writes kept in the test's own
/// folder, listening on one ephemeral IPv4 loopback port, with no control channel.
/// </summary>
internal static class NamedSandbox
{
    public const string Binary = "/usr/sbin/named";

    public const string Package = "bind9";

    /// <summary>A <c>named.conf</c> for <paramref name="directory"/>: the sandbox's options, then <paramref name="options"/> and <paramref name="zones"/>.</summary>
    public static string Config(string directory, int port, string options, string zones) => $$"""
        options {
            directory "{{directory}}";
            pid-file "{{directory}}/named.pid";
            session-keyfile "{{directory}}/session.key";
            managed-keys-directory "{{directory}}";
            listen-on port {{port}} { 127.0.0.1; };
            listen-on-v6 { none; };
            dnssec-validation no;
        {{options}}
        };
        controls { };
        {{zones}}
        """;
}
