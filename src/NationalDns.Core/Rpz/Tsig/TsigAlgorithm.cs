using System.Security.Cryptography;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>
/// A TSIG MAC algorithm (RFC 8945 §6) by its name on the wire: the HMACs BIND's <c>tsig-keygen</c> and NSD offer, less
/// HMAC-MD5, which RFC 8945 no longer recommends and .NET's FIPS builds lack, and HMAC-SHA224, which .NET lacks.
/// </summary>
public sealed class TsigAlgorithm
{
    public static readonly TsigAlgorithm HmacSha1 = new("hmac-sha1", HMACSHA1.HashData);
    public static readonly TsigAlgorithm HmacSha256 = new("hmac-sha256", HMACSHA256.HashData);
    public static readonly TsigAlgorithm HmacSha384 = new("hmac-sha384", HMACSHA384.HashData);
    public static readonly TsigAlgorithm HmacSha512 = new("hmac-sha512", HMACSHA512.HashData);

    private static readonly TsigAlgorithm[] s_known = [HmacSha1, HmacSha256, HmacSha384, HmacSha512];

    private readonly Func<byte[], byte[], byte[]> _hash;

    private TsigAlgorithm(string name, Func<byte[], byte[], byte[]> hash)
    {
        Name = name;
        _hash = hash;
        WireName = TsigNames.ToWire(name);
        MacSize = hash([], []).Length;
    }

    /// <summary>The algorithm's domain name as written in key files and on the wire, without the final dot.</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> in canonical wire form (lower case, uncompressed), as the MAC covers it.</summary>
    internal byte[] WireName { get; }

    /// <summary>The full MAC's length in bytes.</summary>
    public int MacSize { get; }

    /// <summary>The names this server accepts, for error messages.</summary>
    public static string KnownNames => string.Join(", ", s_known.Select(a => a.Name));

    /// <summary>The algorithm called <paramref name="name"/> (any case, final dot optional), or null.</summary>
    public static TsigAlgorithm? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normal = name.Trim().TrimEnd('.').ToLowerInvariant();
        return s_known.FirstOrDefault(a => a.Name == normal);
    }

    internal byte[] Compute(byte[] secret, byte[] data) => _hash(secret, data);

    public override string ToString() => Name;
}
