using System.Diagnostics.CodeAnalysis;

namespace NationalDns.Core.Policy.Formats;

/// <summary>The names formats go by in configuration, on the command line and in <c>check</c>'s output.</summary>
public static class ListFormats
{
    /// <summary>Every format name, for error messages.</summary>
    public const string Names = "native, hosts, adblock, rpz, rkn";

    /// <summary>The name a format is configured by (<c>rpz</c>).</summary>
    public static string Name(ListFormat format) => format switch
    {
        ListFormat.Native => "native",
        ListFormat.Hosts => "hosts",
        ListFormat.Adblock => "adblock",
        ListFormat.Rpz => "rpz",
        ListFormat.RegistryDump => "rkn",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>What <c>check</c> calls a format (<c>Roskomnadzor registry dump</c>).</summary>
    public static string Describe(ListFormat format) => format switch
    {
        ListFormat.Native => "native list",
        ListFormat.Hosts => "hosts file",
        ListFormat.Adblock => "Adblock-style DNS rules",
        ListFormat.Rpz => "response policy zone",
        ListFormat.RegistryDump => "Roskomnadzor registry dump",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Parses a format name, case-insensitively.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, [NotNullWhen(true)] out ListFormat? format)
    {
        format = name.Trim().ToString().ToLowerInvariant() switch
        {
            "native" => ListFormat.Native,
            "hosts" => ListFormat.Hosts,
            "adblock" => ListFormat.Adblock,
            "rpz" => ListFormat.Rpz,
            "rkn" => ListFormat.RegistryDump,
            _ => null,
        };
        return format is not null;
    }
}
