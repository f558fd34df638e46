using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.Core.Rpz.Following;

/// <summary>A policy zone's SOA: its serial (which version of the zone this is) and the timers a secondary follows (RFC 1035 §3.3.13).</summary>
internal sealed record ZoneSoa(string PrimaryName, string Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum)
{
    public static ZoneSoa From(SoaRecord soa)
    {
        ArgumentNullException.ThrowIfNull(soa);
        return new ZoneSoa(TransferredRecord.Escaped(soa.MasterName), TransferredRecord.Escaped(soa.ResponsibleName), soa.SerialNumber, (uint)soa.RefreshInterval, (uint)soa.RetryInterval, (uint)soa.ExpireInterval, (uint)soa.NegativeCachingTTL);
    }

    /// <summary>The SOA of a zone-file record (<c>@ SOA mname rname serial refresh retry expire minimum</c>), as a cached copy holds it.</summary>
    public static bool TryParse(ZoneRecord record, [NotNullWhen(true)] out ZoneSoa? soa)
    {
        ArgumentNullException.ThrowIfNull(record);
        soa = null;
        var numbers = new uint[5];
        if (record.Type != "SOA" || record.Data.Count != 7)
        {
            return false;
        }

        for (var i = 0; i < numbers.Length; i++)
        {
            if (!uint.TryParse(record.Data[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        soa = new ZoneSoa(record.Data[0], record.Data[1], numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        return true;
    }

    /// <summary>The record's data as a zone file writes it.</summary>
    public string ToZoneData() => string.Create(CultureInfo.InvariantCulture, $"{PrimaryName} {Mailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}");

    /// <summary>Whether <paramref name="other"/> is a later version than this one (serial number arithmetic, RFC 1982).</summary>
    public bool IsOlderThan(uint other) => new SerialNumber(other).IsNewerThan(new SerialNumber(Serial));
}
