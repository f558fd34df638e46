using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Rpz;

/// <summary>
/// The zone's name and the records every version has: the SOA (serial from the version) and one NS, <c>localhost.</c> as
/// RPZ feeds conventionally name (a policy zone is never resolved through its NS). Turns <see cref="RpzRecord"/>s into
/// DNS records under the origin.
/// </summary>
public sealed class RpzZoneShape
{
    // Secondaries refresh this often even when a NOTIFY is lost, and retry this often after a failed refresh.
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(15);

    // A secondary cut off from the primary keeps enforcing the last policy it got for a week.
    public static readonly TimeSpan Expire = TimeSpan.FromDays(7);

    private static readonly DomainName s_localhost = DomainName.Parse("localhost");
    private readonly string[] _originLabels;
    private readonly string _originText;

    /// <param name="origin">The zone's name (<c>rpz.nationaldns</c>, with or without the trailing dot).</param>
    /// <param name="ttl">TTL of every record, which RPZ consumers use for their answers; the SOA minimum too.</param>
    public RpzZoneShape(string origin, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Origin = DomainName.Parse(origin.TrimEnd('.'));
        _originLabels = Origin.Labels;
        _originText = Policy.DomainNames.FromWire(Origin);
        Ttl = (int)ttl.TotalSeconds;
        Hostmaster = DomainName.Parse("hostmaster." + Origin);
    }

    public DomainName Origin { get; }

    public int Ttl { get; }

    private DomainName Hostmaster { get; }

    public SoaRecord Soa(SerialNumber serial) =>
        new(Origin, Ttl, s_localhost, Hostmaster, serial.Value, (int)Refresh.TotalSeconds, (int)Retry.TotalSeconds, (int)Expire.TotalSeconds, Ttl);

    public NsRecord Ns() => new(Origin, Ttl, s_localhost);

    /// <summary>Whether <paramref name="name"/> is the zone's apex or a name in it.</summary>
    public bool Contains(DomainName name) => name.IsEqualOrSubDomainOf(Origin);

    /// <summary>The same for a normalised name (lower case, no trailing dot), as the UDP fast path decodes it.</summary>
    public bool Contains(ReadOnlySpan<char> name) =>
        name.EndsWith(_originText, StringComparison.Ordinal)
        && (name.Length == _originText.Length || name[name.Length - _originText.Length - 1] == '.');

    public DnsRecordBase ToDns(RpzRecord record)
    {
        var owner = Owner(record);
        return record.Type switch
        {
            RecordType.CName => new CNameRecord(owner, Ttl, DomainName.Parse(record.Data)),
            RecordType.A => new ARecord(owner, Ttl, IPAddress.Parse(record.Data)),
            RecordType.Aaaa => new AaaaRecord(owner, Ttl, IPAddress.Parse(record.Data)),
            RecordType.Txt => new TxtRecord(owner, Ttl, record.Data),
            _ => throw new ArgumentException($"an RPZ record of type {record.Type} is not published", nameof(record)),
        };
    }

    private DomainName Owner(RpzRecord record)
    {
        if (record.IsApex)
        {
            return Origin;
        }

        var labels = record.Name.Split('.');
        var start = record.IsWildcard ? 1 : 0;
        var all = new string[start + labels.Length + _originLabels.Length];
        if (record.IsWildcard)
        {
            all[0] = "*";
        }

        labels.CopyTo(all, start);
        _originLabels.CopyTo(all, start + labels.Length);
        return new DomainName(all);
    }
}
