using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Core.Rpz;

/// <summary>
/// Turns the rules in force at one moment into RPZ records, the standard way (RFC draft-vixie-dnsop-dns-rpz): a plain rule
/// <c>x</c> becomes the triggers <c>x</c> and <c>*.x</c>, a wildcard rule <c>*.x</c> the trigger <c>*.x</c> alone, each with
/// the policy of the rule that decides it (so two rules of one domain never give one trigger two policies). What RPZ cannot
/// say is approximated or left out, and a TXT note at the apex says so; docs/rpz-feed.md has the table.
/// </summary>
public static class RpzMapping
{
    /// <summary>CNAME targets of the standard policies.</summary>
    public const string NxDomain = ".";
    public const string NoData = "*.";
    public const string PassThru = "rpz-passthru.";
    public const string Drop = "rpz-drop.";
    public const string TcpOnly = "rpz-tcp-only.";

    public const string HeaderNote = "NationalDns policy feed: the rules in force now for clients in no group, mapped as docs/rpz-feed.md describes";
    public const string ThrottleNote = "throttle: published as rpz-passthru. (RPZ cannot delay answers or drop a share of them)";
    public const string ResponseCodeNote = "refused, servfail: published as CNAME . (NXDOMAIN), as RPZ has no policy for other response codes";
    public const string ForgeNote = "forge: published as local data with the address forged for the rule's own domain, which names below it get too";
    public const string WindowNote = "from=/until=: dated rules are here only while in force, and the serial changes when a window opens or closes";

    /// <summary>The note for group-scoped rules, which are left out.</summary>
    public static string GroupNote(int count) => $"group=: {count} group-scoped rules left out, as one feed serves every client of its consumer";

    /// <summary>
    /// The zone's records at <paramref name="at"/> (notes first) and the next moment a rule's window opens or closes, when
    /// the records must be built again. <paramref name="blockPage"/> is where a bare <c>sinkhole</c> points.
    /// </summary>
    public static RpzContent Build(RuleSet rules, DateTimeOffset at, IPAddress? blockPage)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var records = new List<RpzRecord>(rules.Count * 2 + rules.ExceptionCount * 2 + 8);
        var seen = new SeenKinds();
        foreach (var (domain, self, below) in rules.Decisions(at))
        {
            if (domain == BlockRule.RootDomain)
            {
                continue;
            }

            if (self is not null)
            {
                AddPolicy(records, domain, isWildcard: false, self, blockPage, ref seen);
            }

            if (below is not null)
            {
                AddPolicy(records, domain, isWildcard: true, below, blockPage, ref seen);
            }
        }

        var (groupRules, nextChange) = rules.HasConditions ? Conditions(rules, at) : (0, null);
        var notes = new List<RpzRecord> { RpzRecord.Note(HeaderNote) };
        AddNoteIf(notes, seen.Throttle, ThrottleNote);
        AddNoteIf(notes, seen.ResponseCode, ResponseCodeNote);
        AddNoteIf(notes, seen.Forge, ForgeNote);
        AddNoteIf(notes, groupRules > 0, GroupNote(groupRules));
        AddNoteIf(notes, nextChange is not null || seen.Dated, WindowNote);
        records.InsertRange(0, notes);
        return new RpzContent(records, nextChange);
    }

    private static void AddPolicy(List<RpzRecord> records, string domain, bool isWildcard, BlockRule rule, IPAddress? blockPage, ref SeenKinds seen)
    {
        seen.Dated |= !rule.Window.IsAlways;
        var action = rule.Action;
        var target = rule.IsException ? PassThru : action.Kind switch
        {
            BlockActionKind.NxDomain => NxDomain,
            BlockActionKind.NoData => NoData,
            BlockActionKind.Refused or BlockActionKind.ServFail => NxDomain,
            BlockActionKind.Drop => Drop,
            BlockActionKind.TcpOnly => TcpOnly,
            BlockActionKind.Throttle => PassThru,
            _ => null, // sinkhole, stub, forge: local data
        };
        seen.Throttle |= !rule.IsException && action.Kind == BlockActionKind.Throttle;
        seen.ResponseCode |= !rule.IsException && action.Kind is BlockActionKind.Refused or BlockActionKind.ServFail;
        if (target is not null)
        {
            records.Add(new RpzRecord(domain, isWildcard, RecordType.CName, target));
            return;
        }

        seen.Forge |= action.Kind == BlockActionKind.Forge;
        var v4 = AnswerAddresses.For(action, RecordType.A, domain, blockPage);
        var v6 = AnswerAddresses.For(action, RecordType.Aaaa, domain, blockPage);
        if (v4 is not null)
        {
            records.Add(new RpzRecord(domain, isWildcard, RecordType.A, v4.ToString()));
        }

        if (v6 is not null)
        {
            records.Add(new RpzRecord(domain, isWildcard, RecordType.Aaaa, v6.ToString()));
        }

        if (v4 is null && v6 is null)
        {
            records.Add(new RpzRecord(domain, isWildcard, RecordType.CName, NoData)); // an address action with no address: NODATA, as served
        }
    }

    // Group-scoped rules (left out, counted for the note) and the next window edge after the moment.
    private static (int GroupRules, DateTimeOffset? NextChange) Conditions(RuleSet rules, DateTimeOffset at)
    {
        var groupRules = 0;
        DateTimeOffset? next = null;
        foreach (var rule in rules.All())
        {
            if (rule.Group is not null)
            {
                groupRules++;
                continue;
            }

            foreach (var edge in (ReadOnlySpan<DateTimeOffset?>)[rule.Window.From, rule.Window.Until])
            {
                if (edge is { } e && e > at && (next is null || e < next))
                {
                    next = e;
                }
            }
        }

        return (groupRules, next);
    }

    private static void AddNoteIf(List<RpzRecord> notes, bool condition, string text)
    {
        if (condition)
        {
            notes.Add(RpzRecord.Note(text));
        }
    }

    private struct SeenKinds
    {
        public bool Throttle;
        public bool ResponseCode;
        public bool Forge;
        public bool Dated;
    }
}

/// <summary>The records of the zone at one moment, and when they must be built again (a window edge), if ever.</summary>
public sealed record RpzContent(IReadOnlyList<RpzRecord> Records, DateTimeOffset? NextChange);
