namespace NationalDns.Core.Rpz.Tsig;

/// <summary>
/// A TSIG key shared with the other end of the RPZ feed: its name, algorithm and secret, as <c>tsig-keygen</c> writes them.
/// </summary>
public sealed class TsigKey
{
    public TsigKey(string name, TsigAlgorithm algorithm, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0)
        {
            throw new FormatException("the secret is empty");
        }

        Name = name.Trim().TrimEnd('.').ToLowerInvariant();
        if (Name.Length == 0)
        {
            throw new FormatException("the key has no name");
        }

        WireName = TsigNames.ToWire(Name);
        Algorithm = algorithm;
        Secret = secret;
    }

    /// <summary>The key's name: lower case, without the final dot.</summary>
    public string Name { get; }

    public TsigAlgorithm Algorithm { get; }

    internal byte[] Secret { get; }

    /// <summary><see cref="Name"/> in canonical wire form, as the MAC covers it.</summary>
    internal byte[] WireName { get; }

    internal byte[] Mac(byte[] data) => Algorithm.Compute(Secret, data);

    /// <summary>Name and algorithm, never the secret: what logs and errors may show.</summary>
    public override string ToString() => $"{Name} ({Algorithm.Name})";
}
