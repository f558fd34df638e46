using System.CommandLine;
using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.Policy;
using NationalDns.Profiles;

namespace NationalDns.Cli;

/// <summary>
/// <c>profile ios --doh https://NAME/dns-query | --dot NAME [--address IP]... [--out FILE]</c>: an Apple configuration
/// profile that points a test iPhone (or iPad, or Mac) at this server over encrypted DNS.
/// </summary>
internal static class ProfileCommand
{
    private const string Doh = "--doh";
    private const string Dot = "--dot";
    private const string Address = "--address";
    private const string Out = "--out";

    public static Command Build(Func<ParseResult, int> ios)
    {
        var iosCommand = new Command("ios", "Write an Apple .mobileconfig that sets a device's DNS to this server over DNS over HTTPS or TLS.");
        iosCommand.Options.Add(new Option<string>(Doh) { Description = "The DNS over HTTPS URL, e.g. https://dns.example/dns-query (its name must match the server's certificate)." });
        iosCommand.Options.Add(new Option<string>(Dot) { Description = "The DNS over TLS server name, e.g. dns.example (port 853; it must match the server's certificate)." });
        iosCommand.Options.Add(new Option<string[]>(Address) { Description = "The server's IP address, so the device need not look the name up first (repeatable; optional)." });
        iosCommand.Options.Add(new Option<string>(Out) { Description = "File to write the profile to, e.g. nationaldns.mobileconfig (default: standard output)." });
        iosCommand.SetAction(ios);

        var command = new Command("profile", "Device profiles that point phones at this server.");
        command.Subcommands.Add(iosCommand);
        return command;
    }

    public static int Ios(ParseResult parse, TextWriter output)
    {
        var profile = Read(Flags.Value(parse, Doh), Flags.Value(parse, Dot), parse.GetValue<string[]>(Address) ?? []);
        var file = Flags.Value(parse, Out);
        return CommandOutput.WriteOrSave(output, profile.ToPlist(Guid.NewGuid(), Guid.NewGuid()), file, Out, $"Wrote {file}: open it on the device (AirDrop, mail, or a web page), then Settings > Profile Downloaded > Install");
    }

    /// <summary>The profile the flags describe, or a <see cref="UsageException"/> naming the one thing wrong.</summary>
    public static AppleDnsProfile Read(string? doh, string? dot, IReadOnlyList<string> addresses)
    {
        var parsed = addresses.Select(text => IPAddress.TryParse(text.Trim(), out var ip) ? ip : throw new UsageException($"{Address}: '{text}' is not an IP address")).ToList();
        return (doh, dot) switch
        {
            ({ } url, null) => new AppleDnsProfile(DnsTransport.Https, DohUrl(url), parsed),
            (null, { } name) => new AppleDnsProfile(DnsTransport.Tls, DotName(name), parsed),
            _ => throw new UsageException($"profile ios: give one of {Doh} https://NAME/dns-query or {Dot} NAME"),
        };
    }

    private static string DohUrl(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || url.Host.Length == 0 || url.UserInfo.Length > 0)
        {
            throw new UsageException($"{Doh}: '{text}' is not an https:// URL (e.g. https://dns.example/dns-query)");
        }

        return url.AbsoluteUri;
    }

    private static string DotName(string text)
    {
        if (IPAddress.TryParse(text, out _) || !DomainNames.TryNormalize(text, out var name, out _) || !name.Contains('.', StringComparison.Ordinal))
        {
            throw new UsageException($"{Dot}: '{text}' is not a server name (e.g. dns.example; the name on the server's certificate)");
        }

        return name;
    }
}
