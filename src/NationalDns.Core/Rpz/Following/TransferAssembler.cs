using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Rpz.Following;

/// <summary>
/// Gathers the answer records of a zone transfer's messages and says when the transfer is complete, then what it
/// means (RFC 1995 §4, RFC 5936 §2.2): one SOA alone is "up to date" (or, from a server that cannot diff, "ask for the whole
/// zone"); SOA, records, SOA is the whole zone; SOA(new), then per version SOA(old) deletions SOA(next) additions, then
/// SOA(new) is incremental. The end is the SOA of the new serial in closing position: counting the SOAs after the first,
/// the whole zone has one and an incremental answer an odd number (two per step, one to close), so only the last record
/// is looked at per message and a million-record zone is not re-read a message at a time.
/// </summary>
internal sealed class TransferAssembler(string zone, uint? heldSerial)
{
    private readonly List<DnsRecordBase> _records = [];
    private ZoneSoa? _newSoa;
    private int _soasAfterFirst;
    private int _messages;

    /// <summary>The number of records received so far.</summary>
    public int RecordCount => _records.Count;

    /// <summary>Adds one message's answer records; true once the transfer is complete. Throws <see cref="ZoneTransferException"/> on a malformed sequence.</summary>
    public bool Add(IReadOnlyList<DnsRecordBase> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        _messages++;
        foreach (var record in answers)
        {
            if (_records.Count == 0)
            {
                if (record is not SoaRecord first)
                {
                    throw new ZoneTransferException($"the transfer of {zone} does not start with its SOA but with {DnsText.TypeName(record.RecordType)}");
                }

                _newSoa = ZoneSoa.From(first);
            }
            else if (record is SoaRecord)
            {
                _soasAfterFirst++;
            }

            _records.Add(record);
        }

        if (_records.Count == 1)
        {
            // A lone SOA in the first message answers an IXFR: nothing newer, or no diff to give.
            return _messages == 1 && heldSerial is not null;
        }

        return _records.Count > 1 && _records[^1] is SoaRecord last && last.SerialNumber == _newSoa!.Serial && _soasAfterFirst % 2 == 1;
    }

    /// <summary>What the complete transfer says.</summary>
    public TransferAnswer ToAnswer()
    {
        var soa = _newSoa ?? throw new ZoneTransferException($"the transfer of {zone} is empty");
        if (_records.Count == 1)
        {
            return heldSerial == soa.Serial ? new TransferAnswer.UpToDate(soa) : new TransferAnswer.NeedsFullTransfer(soa);
        }

        if (_records[1] is SoaRecord second && second.SerialNumber != soa.Serial)
        {
            return new TransferAnswer.Incremental(soa, Diffs(soa));
        }

        var records = _records.Skip(1).SkipLast(1).Select(TransferredRecord.ToZoneRecord).ToList();
        return new TransferAnswer.Full(new ZoneCopy(zone, soa, records));
    }

    private List<ZoneDiff> Diffs(ZoneSoa soa)
    {
        var diffs = new List<ZoneDiff>();
        var index = 1;
        while (index < _records.Count - 1)
        {
            var from = (SoaRecord)_records[index++];
            var deleted = TakeUntilSoa(ref index);
            if (index >= _records.Count - 1 || _records[index] is not SoaRecord to)
            {
                throw new ZoneTransferException($"the incremental transfer of {zone} ends inside the step from serial {from.SerialNumber}");
            }

            index++;
            var added = TakeUntilSoa(ref index);
            diffs.Add(new ZoneDiff(from.SerialNumber, ZoneSoa.From(to), deleted, added));
        }

        // The last step must arrive at the very SOA the transfer began with (RFC 1995 §4), names and timers too:
        // otherwise the copy would serve an SOA the primary does not have.
        if (diffs.Count > 0 && diffs[^1].ToSoa != soa)
        {
            throw new ZoneTransferException($"the incremental transfer of {zone} ends at another SOA than it began with (serial {diffs[^1].ToSoa.Serial})");
        }

        return diffs;
    }

    private List<ZoneRecord> TakeUntilSoa(ref int index)
    {
        var taken = new List<ZoneRecord>();
        while (index < _records.Count && _records[index] is not SoaRecord)
        {
            taken.Add(TransferredRecord.ToZoneRecord(_records[index++]));
        }

        return taken;
    }
}

/// <summary>What a zone transfer answered.</summary>
internal abstract record TransferAnswer(ZoneSoa Soa)
{
    /// <summary>The primary has the serial already held.</summary>
    public sealed record UpToDate(ZoneSoa Soa) : TransferAnswer(Soa);

    /// <summary>A lone SOA of another serial: the primary has no diff from the serial held, so the whole zone must be asked for.</summary>
    public sealed record NeedsFullTransfer(ZoneSoa Soa) : TransferAnswer(Soa);

    /// <summary>The whole zone (an AXFR, or an IXFR answered AXFR-style).</summary>
    public sealed record Full(ZoneCopy Copy) : TransferAnswer(Copy.Soa);

    /// <summary>The steps from the serial held to <see cref="TransferAnswer.Soa"/>'s.</summary>
    public sealed record Incremental(ZoneSoa Soa, IReadOnlyList<ZoneDiff> Diffs) : TransferAnswer(Soa);
}

/// <summary>A zone transfer that failed: refused, malformed, cut off, or timed out. The message says which, in one line.</summary>
public sealed class ZoneTransferException : Exception
{
    public ZoneTransferException(string message)
        : base(message)
    {
    }

    public ZoneTransferException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ZoneTransferException()
    {
    }
}
