using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

/// <summary>deploy/systemd/nationaldns.service: accepted by systemd's own checker, with the hardening a DNS daemon gets.</summary>
public sealed class SystemdUnitTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private static readonly string Unit = Path.Combine(ExternalProgram.RepositoryRoot(), "deploy", "systemd", "nationaldns.service");

    private static Dictionary<string, List<string>> Settings() =>
        File.ReadAllLines(Unit)
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .GroupBy(pair => pair[0], pair => pair[1])
            .ToDictionary(group => group.Key, group => group.ToList());

    [InstalledFact(SystemdAnalyze, "systemd")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        // verify checks that ExecStart's binary exists; a copy of the unit points it at a stand-in in a temporary folder.
        var folder = Directory.CreateTempSubdirectory("nationaldns-unit-").FullName;
        try
        {
            var binary = Path.Combine(folder, "nationaldns");
            await File.WriteAllTextAsync(binary, "#!/bin/sh\n");
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var copy = Path.Combine(folder, "nationaldns.service");
            await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(Unit)).Replace("/opt/nationaldns/nationaldns", binary, StringComparison.Ordinal));

            var (code, output) = await ExternalProgram.RunAsync(folder, [SystemdAnalyze, "verify", "--man=no", copy], TimeSpan.FromMinutes(1));

            Assert.True(code == 0, output);
            Assert.DoesNotContain("nationaldns.service:", output, StringComparison.Ordinal); // no warning about a line of ours
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_unit_runs_unprivileged_with_only_the_capability_to_bind_port_53_and_its_data_in_the_state_folder()
    {
        var settings = Settings();

        Assert.Equal(["yes"], settings["DynamicUser"]);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], settings["AmbientCapabilities"]);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], settings["CapabilityBoundingSet"]);
        Assert.Equal(["yes"], settings["NoNewPrivileges"]);
        Assert.Equal(["strict"], settings["ProtectSystem"]);
        Assert.Equal(["nationaldns"], settings["StateDirectory"]);
        Assert.Contains("--data-dir /var/lib/nationaldns", settings["ExecStart"].Single(), StringComparison.Ordinal);
        Assert.Contains("--config /etc/nationaldns/nationaldns.json", settings["ExecStart"].Single(), StringComparison.Ordinal);
    }
}
