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
        var context = new RuleContext(at); // a client in no group: one feed serves every client of its consumer
        foreach (var domain in rules.Domains())
        {
            if (domain == BlockRule.RootDomain)
            {
                continue;
            }

            // What the server answers for the domain itself and for any name below it that has no rules of its own ('*' is
            // no name's label). The same function decides every query, so the feed cannot say what the server does not.
            AddTrigger(records, domain, isWildcard: false, QueryPolicy.Decide(rules, domain, context), blockPage, ref seen);
            AddTrigger(records, domain, isWildcard: true, QueryPolicy.Decide(rules, "*." + domain, context), blockPage, ref seen);
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

    // A trigger is written where the deciding rule is the domain's own. A rule of a domain above decides there too, and its
    // own wildcard trigger already says so: RPZ takes the exact name first, then the longest wildcard, which is the same
    // rule, as a rule that wins over more of the name's domains wins over fewer of them.
    private static void AddTrigger(List<RpzRecord> records, string domain, bool isWildcard, PolicyDecision decision, IPAddress? blockPage, ref SeenKinds seen)
    {
        if (decision.Rule is not { } rule || rule.Domain != domain)
        {
            return;
        }

        seen.Dated |= !rule.Window.IsAlways;
        var action = rule.Action;
        var target = decision.Verdict switch
        {
            PolicyVerdict.Exception => PassThru,
            PolicyVerdict.Throttled => PassThru,
            _ => Target(action.Kind),
        };
        seen.Throttle |= decision.Verdict == PolicyVerdict.Throttled;
        seen.ResponseCode |= decision.Verdict == PolicyVerdict.Blocked && action.Kind is BlockActionKind.Refused or BlockActionKind.ServFail;
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

    // The policy of a blocking action, or null for the actions answered with local data (sinkhole, stub, forge).
    private static string? Target(BlockActionKind kind) => kind switch
    {
        BlockActionKind.NxDomain => NxDomain,
        BlockActionKind.NoData => NoData,
        BlockActionKind.Refused or BlockActionKind.ServFail => NxDomain,
        BlockActionKind.Drop => Drop,
        BlockActionKind.TcpOnly => TcpOnly,
        _ => null,
    };

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
