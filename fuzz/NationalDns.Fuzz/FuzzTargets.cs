using NationalDns.Core.Policy.Formats;
using NationalDns.Fuzz.Configuration;
using NationalDns.Fuzz.FastPath;
using NationalDns.Fuzz.Lists;
using NationalDns.Fuzz.Rpz;
using NationalDns.Fuzz.Transport;

namespace NationalDns.Fuzz;

/// <summary>Every harness by name; each has a seed corpus in <c>fuzz/corpus/NAME</c>.</summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyList<string> Names =
    [
        "wire-query", "blocked-answer", "cached-answer", "udp-fast-path", "tcp-framing",
        "list-native", "list-hosts", "list-adblock", "list-rpz", "list-rkn", "rpz-transfer", "config",
    ];

    /// <summary>The harness called <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Create(string name) => name switch
    {
        "wire-query" => new WireQueryTarget(),
        "blocked-answer" => new BlockedAnswerTarget(),
        "cached-answer" => new CachedAnswerTarget(),
        "udp-fast-path" => new UdpFastPathTarget(),
        "tcp-framing" => new TcpFramingTarget(),
        "list-native" => new ListFormatTarget(name, ListFormat.Native),
        "list-hosts" => new ListFormatTarget(name, ListFormat.Hosts),
        "list-adblock" => new ListFormatTarget(name, ListFormat.Adblock),
        "list-rpz" => new ListFormatTarget(name, ListFormat.Rpz),
        "list-rkn" => new ListFormatTarget(name, ListFormat.RegistryDump),
        "rpz-transfer" => new RpzTransferTarget(),
        "config" => new ConfigTarget(),
        _ => null,
    };
}
