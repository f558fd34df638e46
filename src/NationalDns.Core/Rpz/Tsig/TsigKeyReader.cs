using System.Text.RegularExpressions;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>
/// Reads a TSIG key from <c>NAME:ALGORITHM:SECRET</c> (the secret in base64) or from a key file in BIND's format, as
/// <c>tsig-keygen</c> prints it: <c>key "NAME" { algorithm ALG; secret "BASE64"; };</c>. Problems are one-line
/// <see cref="FormatException"/>s; a file's name its line.
/// </summary>
public static partial class TsigKeyReader
{
    /// <summary>A key from <c>NAME:ALGORITHM:SECRET</c>, e.g. <c>feed-key:hmac-sha256:3q2+7w==</c>.</summary>
    public static TsigKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"'{Redacted(text)}' is not NAME:ALGORITHM:SECRET (e.g. feed-key:hmac-sha256:BASE64)");
        }

        return Create(parts[0], parts[1], parts[2]);
    }

    /// <summary>The one key in a BIND key file's text; <paramref name="path"/> names it in errors.</summary>
    public static TsigKey ParseKeyFile(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A quoted string is kept whole: a base64 secret may hold "//", which outside quotes starts a comment.
        var uncommented = Comments().Replace(text, match => match.Groups["quoted"].Success ? match.Value : new string('\n', match.Value.Count(c => c == '\n')));
        var keys = KeyClause().Matches(uncommented);
        if (keys.Count != 1)
        {
            throw new FormatException(keys.Count == 0
                ? $"{path}: no key clause (key \"NAME\" {{ algorithm hmac-sha256; secret \"BASE64\"; }};), as tsig-keygen writes"
                : $"{path}:{LineOf(uncommented, keys[1].Index)}: a second key; give one key per file");
        }

        var key = keys[0];
        var line = LineOf(uncommented, key.Index);
        string? algorithm = null, secret = null;
        foreach (var statement in key.Groups["body"].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = statement.Split((char[]?)null, 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["algorithm", var value]:
                    algorithm = value.Trim('"');
                    break;
                case ["secret", var value]:
                    secret = value.Trim('"');
                    break;
                default:
                    throw new FormatException($"{path}:{line}: unknown statement '{words[0]}' in key \"{key.Groups["name"].Value}\"");
            }
        }

        if (algorithm is null || secret is null)
        {
            throw new FormatException($"{path}:{line}: key \"{key.Groups["name"].Value}\" has no {(algorithm is null ? "algorithm" : "secret")}");
        }

        try
        {
            return Create(key.Groups["name"].Value, algorithm, secret);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}:{line}: {e.Message}", e);
        }
    }

    private static TsigKey Create(string name, string algorithmName, string secretText)
    {
        var algorithm = TsigAlgorithm.Find(algorithmName)
            ?? throw new FormatException($"unknown algorithm '{algorithmName.Trim()}' (known: {TsigAlgorithm.KnownNames})");
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(secretText.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException($"the secret of key '{name.Trim()}' is not base64 (tsig-keygen prints one)");
        }

        return new TsigKey(name, algorithm, secret);
    }

    // The secret never goes into an error message, not even a malformed one.
    private static string Redacted(string text) => text.Split(':') is [var name, var algorithm, ..] ? $"{name}:{algorithm}:…" : "…";

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex("""key\s+"?(?<name>[^"\s{]+)"?\s*\{(?<body>[^}]*)\}\s*;""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyClause();

    [GeneratedRegex(@"(?<quoted>""[^""]*"")|/\*.*?\*/|(//|#)[^\n]*", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Comments();
}
