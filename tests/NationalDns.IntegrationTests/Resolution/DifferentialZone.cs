using System.Text;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The zone NSD serves for the differential tests, <c>diff.test.</c>, and the questions asked of it: every record type
/// NSD serves (with SVCB and HTTPS both in NSD's own syntax and in the generic <c>\#</c> form), answers that need
/// the additional section dropped or TC set at each client size, CNAME chains, a referral, a wildcard, an empty
/// non-terminal, NXDOMAIN, NODATA and a name outside the zone (REFUSED).
/// </summary>
/// <remarks>
/// The NS and glue records live longer (3600 s) than the answers beside them (300 s), so a cache hit shows the
/// cache's cap on every record's TTL. Names in RDATA are lower case, as zone data usually is.
/// </remarks>
internal static class DifferentialZone
{
    public const string Origin = "diff.test";

    public static readonly string Text = BuildText();

    /// <summary>Every (name, type) asked, relative names meaning names under <see cref="Origin"/>.</summary>
    public static readonly IReadOnlyList<(string Name, ushort Type)> Questions =
    [
        ("@", 6), ("@", 2), ("@", 1), ("@", 15), ("@", 257), ("@", 255),
        ("www", 1), ("www", 28), ("www", 16), ("ns1", 1), ("ns1", 28), ("mail", 1),
        ("txt", 16), ("longtxt", 16), ("mid", 16), ("big", 16), ("bin", 16),
        ("alias", 1), ("alias", 28), ("alias", 5), ("alias2", 1), ("dangling", 1), ("outside", 1),
        ("sub", 2), ("x.sub", 1),
        ("_sip._tcp", 33), ("ssh", 44), ("_443._tcp.www", 52), ("naptr", 35), ("ptr", 12),
        ("svc", 64), ("https", 65), ("generic", 65), ("unknown", 65280),
        ("dot\\.label", 1), ("x.wild", 1), ("x.wild", 16), ("deep.er.wild", 1),
        ("ent", 1), ("a.ent", 1), ("nope", 1), ("deep.nope", 15), ("manymx", 15),
        ("elsewhere.test.", 1),
    ];

    /// <summary>The absolute name of a relative one (<c>@</c> is the apex; a name ending in a dot is already absolute).</summary>
    public static string Absolute(string name) =>
        name == "@" ? Origin : name.EndsWith('.') ? name.TrimEnd('.') : $"{name}.{Origin}";

    private static string BuildText()
    {
        var text = new StringBuilder($"""
            $ORIGIN {Origin}.
            $TTL 300
            @ 3600 IN SOA ns1 hostmaster 2024010101 3600 900 604800 60
            @ 3600 IN NS ns1
            @ 3600 IN NS ns.elsewhere.test.
            ns1 3600 IN A 192.0.2.53
            ns1 3600 IN AAAA 2001:db8::53
            @ IN A 192.0.2.1
            @ IN MX 10 mail
            @ IN MX 20 mx.elsewhere.test.
            @ IN CAA 0 issue "ca.example.net"
            @ IN CAA 128 tbs "Unknown"
            mail IN A 192.0.2.25
            mail IN AAAA 2001:db8::25
            www IN A 192.0.2.80
            www IN A 192.0.2.81
            www IN AAAA 2001:db8::80
            txt IN TXT "hello world" "with \"quotes\" and \\backslash" "semi;colon" ""
            txt IN TXT "a second record"
            longtxt IN TXT "{new string('a', 255)}" "{new string('b', 255)}"
            mid IN TXT {Strings(13)}
            big IN TXT {Strings(24)}
            bin IN TXT "\004test\000" "\001\127"
            highbit IN TXT "caf\195\169" "\255\128"
            highbit IN CAA 0 issue "\200"
            highbit IN NAPTR 100 10 "\200" "E2U+sip" "!^.*$!\200!" .
            alias IN CNAME alias2
            alias2 IN CNAME www
            dangling IN CNAME nowhere
            outside IN CNAME www.elsewhere.test.
            sub IN NS ns.sub
            ns.sub IN A 192.0.2.54
            _sip._tcp IN SRV 10 60 5060 sip
            sip IN A 192.0.2.60
            ssh IN SSHFP 1 1 0123456789abcdef0123456789abcdef01234567
            ssh IN SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            _443._tcp.www IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            naptr IN NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@diff.test!" .
            naptr IN NAPTR 102 10 "S" "SIP+D2U" "" _sip._tcp
            ptr IN PTR www
            svc IN SVCB 1 www alpn=h2,h3 port=8443
            https IN HTTPS 1 . alpn=h2 ipv4hint=192.0.2.80
            generic IN TYPE65 \# 10 00010000010003026832
            unknown IN TYPE65280 \# 4 deadbeef
            dot\.label IN A 192.0.2.99
            *.wild IN A 192.0.2.77
            *.wild IN TXT "wildcard"
            a.ent IN A 192.0.2.7

            """);

        // Eight exchangers with an address each: the answer fits in 512 octets only without the additional section.
        for (var i = 1; i <= 8; i++)
        {
            text.AppendLine($"manymx IN MX {i * 10} mx{i}");
            text.AppendLine($"mx{i} IN A 192.0.2.{100 + i}");
            text.AppendLine($"mx{i} IN AAAA 2001:db8::{100 + i}");
        }

        return text.ToString();
    }

    // A TXT record of count strings of 64 octets: 13 make ~850 octets (over 512, under 1232), 24 make ~1560 (over 1232).
    private static string Strings(int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => $"\"{i:D3}{new string('x', 60)}\""));
}
