using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NationalDns.Http;

/// <summary>
/// The admin API's bearer token. Requests are compared by SHA-256 in constant time, so neither the token's length
/// nor how much of a guess matched leaks through timing. Logs name a caller by <see cref="Fingerprint"/> (the first
/// 8 hex digits of the hash), never by the token.
/// </summary>
internal sealed class ApiToken
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _hash;

    public ApiToken(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Fingerprint = Convert.ToHexStringLower(_hash.AsSpan(0, 4));
    }

    public string Fingerprint { get; }

    /// <summary>True when the request carries <c>Authorization: Bearer TOKEN</c> with this token.</summary>
    public bool Accepts(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(offered, _hash);
    }
}
