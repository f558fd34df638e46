using System.Net;
using System.Net.Sockets;
using NationalDns.Core.Policy.Store;

namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// A Response Policy Zone (the RPZ draft, as BIND and Unbound read it) as rules. The trigger is the owner name relative
/// to the zone's origin. As in BIND and Unbound, a trigger <c>name</c> matches only that exact name (an exact rule,
/// <see cref="BlockRule.IsExact"/>) and <c>*.name</c> only the names under it; both lines cover both. The policy is the record:
/// <c>CNAME .</c> → nxdomain, <c>CNAME *.</c> → nodata, <c>CNAME rpz-passthru.</c> → exception,
/// <c>CNAME rpz-drop.</c> → drop, <c>CNAME rpz-tcp-only.</c> → tcp-only, and A/AAAA local data → sinkhole to those
/// addresses (an owner's A and AAAA records become one rule). The apex's SOA and NS records are the zone's own and are
/// not rules. Triggers on addresses (<c>rpz-ip</c>, <c>rpz-nsip</c>, <c>rpz-nsdname</c>, <c>rpz-client-ip</c>), CNAME
/// rewrites to another name and other local-data types are bad lines: NationalDns matches query names only.
/// </summary>
internal sealed class RpzParser : Utf8ListParser
{
    private static readonly string[] UnsupportedTriggers = ["rpz-ip", "rpz-nsip", "rpz-nsdname", "rpz-client-ip"];

    private readonly ListCollector _list;
    private readonly ZoneFileReader? _zone;

    // Where each owner's sinkhole rule sits, so its A and AAAA records merge into one rule.
    private readonly Dictionary<(string Domain, bool IsWildcard), int> _sinkholes = [];

    // A zone file is read line by line; transferred records arrive parsed, so there is no zone reader for them.
    public RpzParser(string displayPath, RuleStore rules, bool readsZoneFile = true)
    {
        _list = new ListCollector(displayPath, rules);
        _zone = readsZoneFile ? new ZoneFileReader(_list) : null;
    }

    /// <summary>A zone file's bytes as rules, for callers that hold one whole (tests, small feeds).</summary>
    public static ParsedList Parse(ReadOnlySpan<byte> content, string displayPath) =>
        BlocklistParser.Parse(content, displayPath, BlockAction.NxDomain, ListFormat.Rpz);

    public override void Reject(int number, string reason) => _list.Reject(number, reason);

    public override ParsedList Finish()
    {
        _zone?.Finish();
        return _list.ToParsedList(ListFormat.Rpz);
    }

    protected override void Read(string line, int number)
    {
        if (_zone!.Read(line, number) is { } record)
        {
            Apply(record, _zone.Apex ?? string.Empty);
        }
    }

    /// <summary>
    /// The same mapping for records that arrive already parsed (a zone transfer): owners absolute, <paramref name="origin"/>
    /// the zone's apex, and each record's <see cref="ZoneRecord.Line"/> its number in the zone, which rules cite.
    /// </summary>
    public static ParsedList FromRecords(IEnumerable<ZoneRecord> records, string origin, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(records);
        var parser = new RpzParser(displayPath, new RuleStore(), readsZoneFile: false);
        foreach (var record in records)
        {
            parser.Apply(record, origin);
        }

        return parser._list.ToParsedList(ListFormat.Rpz);
    }

    private void Apply(ZoneRecord record, string origin)
    {
        if (record.OwnerName.Origin != origin && record.Owner == origin) // a name relative to the apex is never the apex
        {
            // TXT at the apex are the zone's notes (NationalDns's own feed explains its approximations there).
            if (record.Type is not ("SOA" or "NS" or "TXT"))
            {
                _list.Reject(record.Line, $"a {record.Type} record at the zone apex is not a policy");
            }

            return;
        }

        if (!TryTrigger(record, origin, out var domain, out var isWildcard, out var triggerError))
        {
            _list.Reject(record.Line, triggerError);
            return;
        }

        switch (record.Type)
        {
            case "CNAME":
                ApplyCname(record, domain, isWildcard);
                break;
            case "A" or "AAAA":
                ApplyLocalData(record, domain, isWildcard);
                break;
            default:
                _list.Reject(record.Line, $"{record.Type} local data is not supported (only CNAME policies and A/AAAA)");
                break;
        }
    }

    private void ApplyCname(ZoneRecord record, string domain, bool isWildcard)
    {
        if (record.Data.Count != 1)
        {
            _list.Reject(record.Line, "CNAME takes one target");
            return;
        }

        var target = record.Data[0].ToLowerInvariant();
        BlockAction? action = target switch
        {
            "." => BlockAction.NxDomain,
            "*." => BlockAction.NoData,
            "rpz-drop." => BlockAction.Drop,
            "rpz-tcp-only." => BlockAction.TcpOnly,
            _ => null,
        };
        var isException = target == "rpz-passthru.";
        if (action is null && !isException)
        {
            _list.Reject(record.Line, $"CNAME to '{record.Data[0]}' rewrites the name, which is not supported (use ., *., rpz-passthru., rpz-drop. or rpz-tcp-only.)");
            return;
        }

        _list.Add(new BlockRule(domain, isWildcard, isException, action ?? BlockAction.NxDomain, _list.Source(record.Line)) { IsExact = !isWildcard });
    }

    private void ApplyLocalData(ZoneRecord record, string domain, bool isWildcard)
    {
        var family = record.Type == "A" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (record.Data.Count != 1 || !IPAddress.TryParse(record.Data[0], out var address) || address.AddressFamily != family ||
            (family == AddressFamily.InterNetwork && record.Data[0].AsSpan().Count('.') != 3))
        {
            _list.Reject(record.Line, $"bad {record.Type} address '{string.Join(' ', record.Data)}'");
            return;
        }

        var key = (domain, isWildcard);
        if (!_sinkholes.TryGetValue(key, out var index))
        {
            _sinkholes[key] = _list.Rules.Count;
            var action = family == AddressFamily.InterNetwork
                ? new BlockAction(BlockActionKind.Sinkhole, SinkholeV4: address)
                : new BlockAction(BlockActionKind.Sinkhole, SinkholeV6: address);
            _list.Add(new BlockRule(domain, isWildcard, IsException: false, action, _list.Source(record.Line)) { IsExact = !isWildcard });
            return;
        }

        var rule = _list.Rules[index];
        var existing = family == AddressFamily.InterNetwork ? rule.Action.SinkholeV4 : rule.Action.SinkholeV6;
        if (existing is not null)
        {
            _list.Reject(record.Line, $"a second {record.Type} record for '{(isWildcard ? "*." : string.Empty)}{domain}': a sinkhole has one address per family");
            return;
        }

        _list.Rules.SetAction(index, family == AddressFamily.InterNetwork ? rule.Action with { SinkholeV4 = address } : rule.Action with { SinkholeV6 = address });
    }

    private static bool TryTrigger(ZoneRecord record, string origin, out string domain, out bool isWildcard, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        domain = string.Empty;
        isWildcard = false;
        var owner = record.OwnerName.Origin == origin ? record.OwnerName.Name : record.Owner;
        if (origin.Length > 0 && record.OwnerName.Origin != origin)
        {
            if (!owner.EndsWith(origin, StringComparison.Ordinal) || owner.Length <= origin.Length || owner[^(origin.Length + 1)] != '.')
            {
                error = $"owner '{owner}.' is outside the zone '{origin}.'";
                return false;
            }

            owner = owner[..^(origin.Length + 1)];
        }

        var lastDot = owner.LastIndexOf('.');
        var lastLabel = lastDot < 0 ? owner : owner[(lastDot + 1)..];
        if (Array.IndexOf(UnsupportedTriggers, lastLabel) >= 0)
        {
            error = $"{lastLabel} triggers are not supported (NationalDns matches query names only)";
            return false;
        }

        isWildcard = owner.StartsWith("*.", StringComparison.Ordinal);
        var name = isWildcard ? owner[2..] : owner;
        if (name.Contains('*', StringComparison.Ordinal))
        {
            error = $"invalid name '{owner}': '*' is only allowed as a whole first label ('*.example.com')";
            return false;
        }

        if (!DomainNames.TryNormalizeCore(name, out var normalized, out var reason))
        {
            error = $"invalid name '{owner}': {reason}";
            return false;
        }

        domain = normalized;
        error = null;
        return true;
    }
}
