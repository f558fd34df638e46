using System.Text.Json;
using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.UnitTests.Rpz.Tsig;

/// <summary>
/// Messages captured from BIND 9.18 tools on loopback (TestData/bind-vectors.json): <c>dig -y ALG:KEY:SECRET</c>'s
/// signed SOA query and AXFR request as dig sent them, and named's signed answers to them (the AXFR in five messages,
/// <c>transfer-message-size 512</c>), for keys tsig-keygen made with hmac-sha256, hmac-sha512 and hmac-sha1.
/// </summary>
internal sealed record BindVectors(TsigKey Key, byte[] SoaQuery, byte[] SoaResponse, byte[] AxfrQuery, byte[][] AxfrResponses)
{
    /// <summary>When dig signed the SOA query; named signed its answers and the AXFR in the same second.</summary>
    public DateTimeOffset SignedAt => TsigRecord.TryRead(SoaQuery, out var record) ? DateTimeOffset.FromUnixTimeSeconds(record!.TimeSigned) : throw new InvalidDataException("unsigned vector");

    public static BindVectors For(string algorithm)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rpz", "Tsig", "TestData", "bind-vectors.json")));
        var vector = json.RootElement.GetProperty(algorithm);
        var digKey = vector.GetProperty("key").GetString()!.Split(':'); // dig -y's ALG:NAME:SECRET
        byte[] Hex(string name) => vector.TryGetProperty(name, out var value) ? Convert.FromHexString(value.GetString()!) : [];
        var axfr = vector.TryGetProperty("axfrResponses", out var messages) ? messages.EnumerateArray().Select(m => Convert.FromHexString(m.GetString()!)).ToArray() : [];
        return new BindVectors(TsigKeyReader.Parse($"{digKey[1]}:{digKey[0]}:{digKey[2]}"), Hex("soaQuery"), Hex("soaResponse"), Hex("axfrQuery"), axfr);
    }
}
