using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Caching;

/// <summary>
/// What two queries must share to share a cached answer: the question name (letter case ignored, label by label),
/// type and class, and the DO and CD bits, so DNSSEC-aware and plain answers never mix.
/// </summary>
/// <remarks>
/// The name is compared on the query's own <see cref="DomainName"/> labels rather than on a lower-cased copy,
/// so a lookup allocates nothing. The hash is the framework's randomised string hash, so names chosen by a client
/// cannot be crafted to collide.
/// </remarks>
internal readonly struct CacheKey : IEquatable<CacheKey>
{
    private readonly DomainName _name;
    private readonly RecordType _type;
    private readonly RecordClass _class;
    private readonly bool _dnssecOk;
    private readonly bool _checkingDisabled;

    public CacheKey(DomainName name, RecordType type, RecordClass recordClass, bool dnssecOk, bool checkingDisabled)
    {
        _name = name;
        _type = type;
        _class = recordClass;
        _dnssecOk = dnssecOk;
        _checkingDisabled = checkingDisabled;
    }

    /// <summary>The key of a validated query (exactly one question).</summary>
    public static CacheKey For(DnsMessage query)
    {
        var question = query.Questions[0];
        return new CacheKey(question.Name, question.RecordType, question.RecordClass, query.IsDnsSecOk, query.IsCheckingDisabled);
    }

    public bool Equals(CacheKey other) =>
        _type == other._type
        && _class == other._class
        && _dnssecOk == other._dnssecOk
        && _checkingDisabled == other._checkingDisabled
        && SameName(_name, other._name);

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in _name.Labels)
        {
            hash.Add(string.GetHashCode(label, StringComparison.OrdinalIgnoreCase));
        }

        hash.Add(_type);
        hash.Add(_class);
        hash.Add(_dnssecOk);
        hash.Add(_checkingDisabled);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"{_name} {_type} {_class}{(_dnssecOk ? " +do" : string.Empty)}{(_checkingDisabled ? " +cd" : string.Empty)}";

    public static bool operator ==(CacheKey left, CacheKey right) => left.Equals(right);

    public static bool operator !=(CacheKey left, CacheKey right) => !left.Equals(right);

    private static bool SameName(DomainName a, DomainName b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        var left = a.Labels;
        var right = b.Labels;
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!string.Equals(left[i], right[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
