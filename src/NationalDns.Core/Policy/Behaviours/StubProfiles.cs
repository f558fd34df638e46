using System.Collections.Frozen;
using System.Net;
using System.Reflection;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// The shipped profile table (<c>stub-profiles.txt</c>, embedded in this assembly): profile name → the operator's stub address.
/// Read once; immutable afterwards.
/// </summary>
public static class StubProfiles
{
    private const string ResourceName = "NationalDns.stub-profiles.txt";

    /// <summary>Every shipped profile, by lower-case name.</summary>
    public static FrozenDictionary<string, StubProfile> Shipped { get; } = Parse(ReadResource());

    /// <summary>The profile names, sorted, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", Shipped.Keys.Order(StringComparer.Ordinal));

    /// <summary>Parses the table's text; a malformed line is a bug in the shipped file, so it throws.</summary>
    internal static FrozenDictionary<string, StubProfile> Parse(string text)
    {
        var profiles = new Dictionary<string, StubProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var rawLine in text.Split('\n'))
        {
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = (hash < 0 ? rawLine : rawLine[..hash]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var words = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4 || !IPAddress.TryParse(words[1], out var v4) || (words[2] != "-" && !IPAddress.TryParse(words[2], out _)))
            {
                throw new InvalidDataException($"{ResourceName}: malformed line '{line}'");
            }

            var source = hash < 0 ? string.Empty : rawLine[(hash + 1)..].Trim();
            var v6 = words[2] == "-" ? null : IPAddress.Parse(words[2]);
            profiles.Add(words[0].ToLowerInvariant(), new StubProfile(words[0].ToLowerInvariant(), v4, v6, words[3].Trim(), source));
        }

        return profiles.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static string ReadResource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
