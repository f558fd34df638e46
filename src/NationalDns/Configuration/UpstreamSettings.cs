using Microsoft.Extensions.Configuration;
using NationalDns.Core.Resolution;

namespace NationalDns.Configuration;

/// <summary>
/// The upstreams' settings: <c>Upstream</c> (<c>--upstream</c>, a list, checked here and looked up at start),
/// <c>Bootstrap</c>, <c>UpstreamTimeout</c>, <c>UpstreamFailures</c>, <c>UpstreamProbeInterval</c>, <c>UpstreamProbeName</c>,
/// <c>Forwarder</c> and <c>Upstream0x20</c> (docs/forwarding.md).
/// </summary>
public static class UpstreamSettings
{
    public static UpstreamOptions Read(IConfigurationRoot configuration, IReadOnlyList<UpstreamTarget> servers, IReadOnlyList<UpstreamSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(specs);
        var forwarder = ReadForwarder(configuration);
        if (forwarder == ForwarderEngine.DnsClient && specs.FirstOrDefault(spec => spec.Protocol == UpstreamProtocol.Tls) is { } tls)
        {
            throw new UsageException($"--forwarder dnsclient cannot speak DNS over TLS to {tls.Host}; use the default wire engine");
        }

        var failures = SettingsReader.Count(configuration["UpstreamFailures"], "--upstream-failures", int.MaxValue) ?? UpstreamOptions.DefaultFailuresBeforeUnhealthy;
        if (failures < 1)
        {
            throw new UsageException("--upstream-failures: must be at least 1");
        }

        var probeName = SettingsReader.Blank(configuration["UpstreamProbeName"]) ?? ".";
        if (!ARSoft.Tools.Net.DomainName.TryParse(probeName, out _))
        {
            throw new UsageException($"--upstream-probe-name: '{probeName}' is not a domain name");
        }

        return new UpstreamOptions
        {
            Servers = servers,
            Bootstrap = [.. SettingsReader.List(configuration, "Bootstrap").Select(t => SettingsReader.EndPoint(t, defaultPort: 53, "--bootstrap"))],
            Timeout = SettingsReader.Duration(configuration["UpstreamTimeout"], "--upstream-timeout") ?? UpstreamOptions.DefaultTimeout,
            FailuresBeforeUnhealthy = (int)failures,
            ProbeInterval = SettingsReader.Duration(configuration["UpstreamProbeInterval"], "--upstream-probe-interval") ?? UpstreamOptions.DefaultProbeInterval,
            ProbeName = probeName,
            Forwarder = forwarder,
            RandomiseCase = Switch(configuration["Upstream0x20"], "--upstream-0x20") ?? true,
        };
    }

    internal static UpstreamSpec Spec(string text) =>
        UpstreamSpec.TryParse(text, out var spec, out var error) ? spec : throw new UsageException($"--upstream: {error}");

    private static ForwarderEngine ReadForwarder(IConfiguration configuration) => SettingsReader.Blank(configuration["Forwarder"])?.ToLowerInvariant() switch
    {
        null or "wire" => ForwarderEngine.Wire,
        "dnsclient" => ForwarderEngine.DnsClient,
        var other => throw new UsageException($"--forwarder: '{other}' is not an engine; use wire or dnsclient"),
    };

    private static bool? Switch(string? text, string option) => SettingsReader.Blank(text)?.ToLowerInvariant() switch
    {
        null => null,
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var other => throw new UsageException($"{option}: '{other}' is neither on nor off"),
    };
}
