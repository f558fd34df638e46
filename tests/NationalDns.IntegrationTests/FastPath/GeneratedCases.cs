using System.Globalization;
using System.Net;
using NationalDns.Core.Net;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Groups;
using NationalDns.Core.Policy.Time;

namespace NationalDns.IntegrationTests.FastPath;

/// <summary>
/// Draws the cases the fast-path equality tests run: rule sets over a small tree of names (every line form, action,
/// exceptions, windows, groups, exact and important rules), clients inside and outside two groups (one with the allowlist
/// regime), moments around the windows, and queries in every variant a plain client sends (letter case, type, EDNS size,
/// DO, CD, RD). One seed gives one sequence of cases, so a failure is replayed by its seed.
/// </summary>
internal sealed class GeneratedCases(int seed)
{
    // Parents and children, so rules at one level meet rules above and below them.
    private static readonly string[] Names =
        ["a.test", "b.a.test", "c.b.a.test", "d.a.test", "x.test", "y.x.test", "z.y.x.test", "rpz.test", "w.rpz.test", "q.example", "test"];

    private static readonly string[] Actions =
    [
        "nxdomain", "nodata", "refused", "servfail", "sinkhole", "sinkhole 192.0.2.1", "sinkhole 192.0.2.1 2001:db8::1",
        "sinkhole ::2", "drop", "tcp-only", "forge", "forge 198.51.100.7 203.0.113.9 2001:db8::7", "stub ertelecom",
        "throttle 5ms loss=100%",
    ];

    private static readonly ushort[] Types = [1, 28, 15, 16, 65, 64, 33, 255, 6, 2, 5, 12, 99];

    private static readonly DateTimeOffset Epoch = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random = new(seed);

    public static ClientGroups Groups { get; } = new(
    [
        new ClientGroup("north", [IpNetwork.Parse("10.1.0.0/16")]),
        new ClientGroup("shutdown", [IpNetwork.Parse("10.2.0.0/16")], GroupRegime.Allowlist, BlockAction.NxDomain),
    ]);

    public static IReadOnlyList<IPAddress> Clients { get; } =
        [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("10.2.3.4"), IPAddress.Parse("192.0.2.99"), IPAddress.Parse("127.0.0.1")];

    public RuleSet NextRules(out IReadOnlyList<string> lines)
    {
        var builder = new RuleSetBuilder();
        var written = new List<string>();
        var count = _random.Next(1, 10);
        for (var i = 0; i < count; i++)
        {
            var rule = NextRule(i + 1);
            builder.Add(rule);
            written.Add($"{rule.Pattern} {(rule.IsException ? string.Empty : rule.Action + " ")}{rule.Window} {rule.Group}".Trim());
        }

        lines = written;
        return builder.Build();
    }

    public DateTimeOffset NextMoment() => Epoch.AddDays(_random.Next(0, 40)).AddHours(_random.Next(0, 2) * 12);

    public IPAddress NextClient() => Clients[_random.Next(Clients.Count)];

    public Support.QueryBuilder NextQuery()
    {
        var name = Names[_random.Next(Names.Length)];
        if (_random.Next(4) == 0)
        {
            name = "www." + name;
        }

        return new Support.QueryBuilder
        {
            Id = (ushort)_random.Next(ushort.MaxValue + 1),
            Name = RandomCase(name),
            Type = Types[_random.Next(Types.Length)],
            RecursionDesired = _random.Next(2) == 0,
            CheckingDisabled = _random.Next(4) == 0,
            EdnsUdpSize = _random.Next(3) switch { 0 => null, 1 => (ushort)_random.Next(0, 600), _ => (ushort)_random.Next(1200, 5000) },
            DnssecOk = _random.Next(3) == 0,
        };
    }

    private BlockRule NextRule(int line)
    {
        var domain = Names[_random.Next(Names.Length)];
        var isException = _random.Next(5) == 0;
        var form = _random.Next(6); // 0-2 plain, 3 wildcard, 4 exact, 5 plain and important
        var actionText = Actions[_random.Next(Actions.Length)];
        var action = BlockAction.TryParse(actionText, out var parsed, out var error) ? parsed : throw new InvalidOperationException($"{actionText}: {error}");
        var rule = new BlockRule(domain, IsWildcard: form == 3, isException, action, new RuleSource("lists/national.txt", line, _random.Next(3) == 0 ? $"decision {line}" : null))
        {
            IsExact = form == 4,
            IsImportant = form == 5,
            Window = _random.Next(3) == 0 ? NextWindow() : RuleWindow.Always,
            Group = _random.Next(4) switch { 0 => "north", 1 => "shutdown", _ => null },
        };
        return rule;
    }

    private RuleWindow NextWindow()
    {
        var from = _random.Next(2) == 0 ? Epoch.AddDays(_random.Next(0, 30)) : (DateTimeOffset?)null;
        var until = _random.Next(2) == 0 ? Epoch.AddDays(_random.Next(10, 40)) : (DateTimeOffset?)null;
        return from is { } f && until is { } u && u <= f ? new RuleWindow(f, null) : new RuleWindow(from, until);
    }

    private string RandomCase(string name) =>
        string.Create(name.Length, (name, _random), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state._random.Next(3) == 0 ? char.ToUpper(state.name[i], CultureInfo.InvariantCulture) : state.name[i];
            }
        });
}
