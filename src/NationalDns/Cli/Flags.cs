using System.CommandLine;

namespace NationalDns.Cli;

/// <summary>Turns the flags a user gave into configuration keys, the top layer of configuration.</summary>
internal static class Flags
{
    public static Dictionary<string, string?> ToConfiguration(ParseResult parse)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in parse.CommandResult.Command.Options)
        {
            if (!CommandLine.Names.ConfigurationKeys.TryGetValue(option.Name, out var key) || parse.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            if (option is Option<string[]> list)
            {
                // Indexed keys: a flag list replaces the lower layers' list whole, and values may contain commas.
                var items = parse.GetValue(list) ?? [];
                for (var i = 0; i < items.Length; i++)
                {
                    values[$"{key}:{i}"] = items[i];
                }
            }
            else if (option is Option<string> single)
            {
                values[key] = parse.GetValue(single);
            }
        }

        return values;
    }

    public static string? Value(ParseResult parse, string name) =>
        parse.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == name) is { } option ? parse.GetValue(option) : null;
}
