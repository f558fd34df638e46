using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Caching;

/// <summary>
/// What two queries must share to share a cached answer: the question name (ASCII letter case ignored, label by label),
/// type and class, and the DO and CD bits, so DNSSEC-aware and plain answers never mix.
/// </summary>
/// <remarks>
/// The name is held in one canonical string: labels lower-cased (ASCII only, as DNS compares names), joined by dots,
/// with a dot or backslash inside a label escaped, so <c>a.b</c> as one label never meets <c>a</c>, <c>b</c>. For the
/// plain names that make up nearly all traffic this is the name as written in lower case, which lets the UDP fast
/// path look an entry up from the characters it decoded in place (<see cref="CacheLookup"/>) without allocating.
/// Hashes are the framework's randomised string hash, so names chosen by a client cannot be crafted to collide.
/// </remarks>
internal readonly struct CacheKey : IEquatable<CacheKey>
{
    public CacheKey(DomainName name, RecordType type, RecordClass recordClass, bool dnssecOk, bool checkingDisabled)
        : this(CanonicalName(name), (ushort)type, (ushort)recordClass, dnssecOk, checkingDisabled)
    {
    }

    public CacheKey(string canonicalName, ushort type, ushort recordClass, bool dnssecOk, bool checkingDisabled)
    {
        Name = canonicalName;
        Type = type;
        Class = recordClass;
        DnssecOk = dnssecOk;
        CheckingDisabled = checkingDisabled;
    }

    /// <summary>The canonical name (see remarks).</summary>
    public string Name { get; }

    public ushort Type { get; }

    public ushort Class { get; }

    public bool DnssecOk { get; }

    public bool CheckingDisabled { get; }

    /// <summary>The key of a validated query (exactly one question).</summary>
    public static CacheKey For(DnsMessage query)
    {
        var question = query.Questions[0];
        return new CacheKey(question.Name, question.RecordType, question.RecordClass, query.IsDnsSecOk, query.IsCheckingDisabled);
    }

    public bool Equals(CacheKey other) =>
        Type == other.Type && Class == other.Class && DnssecOk == other.DnssecOk && CheckingDisabled == other.CheckingDisabled
        && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode() => Hash(Name, Type, Class, DnssecOk, CheckingDisabled);

    public override string ToString() =>
        $"{Name} {(RecordType)Type} {(RecordClass)Class}{(DnssecOk ? " +do" : string.Empty)}{(CheckingDisabled ? " +cd" : string.Empty)}";

    public static bool operator ==(CacheKey left, CacheKey right) => left.Equals(right);

    public static bool operator !=(CacheKey left, CacheKey right) => !left.Equals(right);

    /// <summary>The one hash both <see cref="CacheKey"/> and <see cref="CacheLookup"/> use, so either finds the other's entries.</summary>
    internal static int Hash(ReadOnlySpan<char> name, ushort type, ushort recordClass, bool dnssecOk, bool checkingDisabled) =>
        HashCode.Combine(string.GetHashCode(name), type | (recordClass << 16), (dnssecOk ? 1 : 0) | (checkingDisabled ? 2 : 0));

    private static string CanonicalName(DomainName name)
    {
        var labels = name.Labels;
        var length = Math.Max(0, labels.Length - 1);
        foreach (var label in labels)
        {
            length += label.Length + Escapes(label);
        }

        return string.Create(length, labels, static (destination, labels) =>
        {
            var position = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    destination[position++] = '.';
                }

                foreach (var c in labels[i])
                {
                    if (c is '.' or '\\')
                    {
                        destination[position++] = '\\';
                    }

                    destination[position++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                }
            }
        });
    }

    private static int Escapes(string label)
    {
        var count = 0;
        foreach (var c in label)
        {
            if (c is '.' or '\\')
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>
/// A cache lookup from a name the caller decoded into a buffer of its own (lower-case, no escapes needed: the UDP
/// fast path only decodes letters, digits, '-' and '_'). Finds the same entries as the equal <see cref="CacheKey"/>.
/// </summary>
internal readonly ref struct CacheLookup(ReadOnlySpan<char> name, ushort type, ushort recordClass, bool dnssecOk, bool checkingDisabled)
{
    public ReadOnlySpan<char> Name { get; } = name;

    public ushort Type { get; } = type;

    public ushort Class { get; } = recordClass;

    public bool DnssecOk { get; } = dnssecOk;

    public bool CheckingDisabled { get; } = checkingDisabled;
}

/// <summary>Compares <see cref="CacheKey"/>s, and a <see cref="CacheLookup"/> with a key, for the cache's table.</summary>
internal sealed class CacheKeyComparer : IEqualityComparer<CacheKey>, IAlternateEqualityComparer<CacheLookup, CacheKey>
{
    public static readonly CacheKeyComparer Instance = new();

    public bool Equals(CacheKey x, CacheKey y) => x.Equals(y);

    public int GetHashCode(CacheKey obj) => obj.GetHashCode();

    public bool Equals(CacheLookup alternate, CacheKey other) =>
        alternate.Type == other.Type && alternate.Class == other.Class && alternate.DnssecOk == other.DnssecOk
        && alternate.CheckingDisabled == other.CheckingDisabled && alternate.Name.SequenceEqual(other.Name);

    public int GetHashCode(CacheLookup alternate) =>
        CacheKey.Hash(alternate.Name, alternate.Type, alternate.Class, alternate.DnssecOk, alternate.CheckingDisabled);

    public CacheKey Create(CacheLookup alternate) =>
        new(alternate.Name.ToString(), alternate.Type, alternate.Class, alternate.DnssecOk, alternate.CheckingDisabled);
}
