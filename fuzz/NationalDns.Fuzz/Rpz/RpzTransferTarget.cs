using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Rpz.Following;
using NationalDns.Fuzz.Lists;

namespace NationalDns.Fuzz.Rpz;

/// <summary>
/// <see cref="TransferAssembler"/> as the follower drives it. Input: the serial held (0: none, an AXFR), then the
/// primary's TCP stream of length-prefixed messages. A malformed sequence may only fail as a
/// <see cref="ZoneTransferException"/>; a complete one must mean what it says (a whole zone of the records between its
/// SOAs, diffs that apply as the follower applies them, or "up to date" only for the serial held), and the rules it
/// gives must keep <see cref="ListInvariants"/> and survive the zone cache file unchanged.
/// </summary>
internal sealed class RpzTransferTarget : IFuzzTarget
{
    private const string Zone = "rpz.example";
    private const string DisplayPath = "rpz:rpz.example";
    // One file per harness, not per process: the unit tests replay findings and the corpus from two classes at once.
    private readonly string _cacheFile = Path.Combine(Path.GetTempPath(), $"nationaldns-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}.zone");

    public string Name => "rpz-transfer";

    public void Run(byte[] input)
    {
        if (input.Length < 1)
        {
            return;
        }

        uint? held = input[0] == 0 ? null : input[0];
        var assembler = new TransferAssembler(Zone, held);
        try
        {
            foreach (var message in Messages(input.AsSpan(1)))
            {
                if (!assembler.Add(message.AnswerRecords))
                {
                    continue;
                }

                Check(assembler.ToAnswer(), assembler.RecordCount, held);
                return;
            }
        }
        catch (ZoneTransferException)
        {
            // A malformed transfer fails with a message; the follower keeps its copy and retries.
        }
    }

    // The messages the client reads before the stream ends or a message fails to parse (which fails the transfer).
    private static List<DnsMessage> Messages(ReadOnlySpan<byte> stream)
    {
        var messages = new List<DnsMessage>();
        while (stream.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(stream) is var length && stream.Length >= 2 + length)
        {
            try
            {
                messages.Add(DnsMessage.Parse(stream.Slice(2, length).ToArray()));
            }
#pragma warning disable CA1031 // The client turns whatever ARSoft throws into one failed transfer; so does this harness.
            catch (Exception)
#pragma warning restore CA1031
            {
                break;
            }

            stream = stream[(2 + length)..];
        }

        return messages;
    }

    private void Check(TransferAnswer answer, int recordCount, uint? held)
    {
        switch (answer)
        {
            case TransferAnswer.UpToDate upToDate:
                InvariantViolationException.ThrowUnless(upToDate.Soa.Serial == held, $"up to date at serial {upToDate.Soa.Serial}, but {held} is held");
                break;
            case TransferAnswer.NeedsFullTransfer needsFull:
                InvariantViolationException.ThrowUnless(held is not null && needsFull.Soa.Serial != held, "asked for a full transfer without an incremental question");
                break;
            case TransferAnswer.Full full:
                InvariantViolationException.ThrowUnless(full.Copy.Records.Count == recordCount - 2, $"{recordCount} records received, the copy holds {full.Copy.Records.Count} besides its two SOAs");
                CheckCopy(full.Copy);
                break;
            case TransferAnswer.Incremental incremental:
                InvariantViolationException.ThrowUnless(held is not null, "an incremental answer to an AXFR");
                InvariantViolationException.ThrowUnless(incremental.Diffs.Count > 0, "an incremental answer without a step");
                var start = new ZoneCopy(Zone, incremental.Diffs[0].ToSoa with { Serial = held!.Value }, HeldRecords());
                if (incremental.Diffs.Aggregate<ZoneDiff, ZoneCopy?>(start, (copy, diff) => copy?.Apply(diff)) is { } applied)
                {
                    InvariantViolationException.ThrowUnless(applied.Soa == incremental.Soa, "the diffs end at another SOA than the transfer's");
                    CheckCopy(applied);
                }

                break;
        }
    }

    private void CheckCopy(ZoneCopy copy)
    {
        var rules = copy.ToRules(DisplayPath);
        ListInvariants.Check(rules, DisplayPath, copy.Records.Count + 1);

        ZoneCacheFile.Write(_cacheFile, copy, "fuzz");
        ZoneCopy? reread;
        string? problem;
        try
        {
            reread = ZoneCacheFile.TryRead(_cacheFile, Zone, out problem);
        }
        finally
        {
            File.Delete(_cacheFile); // read back at once: nothing is left in the temporary folder, however many inputs run
        }

        if (reread is null)
        {
            throw new InvariantViolationException($"the zone cache file written for serial {copy.Soa.Serial} cannot be read back: {problem}");
        }

        var (before, after) = (Describe(rules), Describe(reread.ToRules(DisplayPath)));
        InvariantViolationException.ThrowUnless(before == after, $"the rules change through the cache file:\n--- transferred\n{before}\n--- reread\n{after}");
    }

    // The rules only: a record a zone file cannot hold is a problem when transferred and a comment in the cache file, so
    // the copy read back lacks it and numbers the records after it one lower.
    private static string Describe(Core.Policy.Formats.ParsedList rules) => string.Join('\n', rules.Rules.Select(r => $"{r.Pattern} {r.Action}"));

    // What the follower holds before the incremental transfer: one rule, which a diff may delete.
    private static List<ZoneRecord> HeldRecords() =>
        [new ZoneRecord(0, new ZoneOwner($"bad.example.{Zone}", null), "CNAME", ["."])];
}
