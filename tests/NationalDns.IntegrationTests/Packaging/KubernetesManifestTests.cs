using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Packaging;

/// <summary>
/// deploy/kubernetes/*.yaml checked against the Kubernetes API schemas (kubernetes-models, installed by .ci/run with
/// <c>npm ci</c> in deploy/kubernetes/validate), then inspected for what the server needs: probes on the ports and
/// paths it serves, the lists mounted where it reads them, DNS published on 53 over UDP and TCP.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Deploy = Path.Combine(ExternalProgram.RepositoryRoot(), "deploy", "kubernetes");

    /// <summary>The validator's folder (<c>validate.js</c> and its npm packages).</summary>
    internal static string Validator => Path.Combine(Deploy, "validate");

    [KubernetesSchemasFact]
    public async Task The_manifests_are_valid_against_the_kubernetes_schemas()
    {
        var (code, output) = await ValidateAsync();
        Assert.True(code == 0, output);
        Assert.Contains("5 manifests valid, 0 problems", output, StringComparison.Ordinal);
    }

    [KubernetesSchemasFact]
    public async Task The_deployment_serves_probes_mounts_the_lists_and_the_service_publishes_53_over_udp_and_tcp()
    {
        var (code, output) = await ValidateAsync("--json");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var manifests = json.RootElement.EnumerateArray().ToList();
        var deployment = manifests.Single(m => m.GetProperty("kind").GetString() == "Deployment");
        var spec = deployment.GetProperty("spec");
        var pod = spec.GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        var args = container.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();

        Assert.Equal(3, spec.GetProperty("replicas").GetInt32());
        Assert.Equal("0.0.0.0:8080", args[args.IndexOf("--http") + 1]);
        Assert.Equal("/blocklists", args[args.IndexOf("--blocklist") + 1]);
        var ports = container.GetProperty("ports").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        Assert.Equal(8080, ports["http"]);
        Assert.Equal($"0.0.0.0:{ports["dns-udp"]}", args[args.IndexOf("--listen") + 1]);
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/readyz", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("http", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());

        var security = container.GetProperty("securityContext");
        Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.Equal(["ALL"], security.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(c => c.GetString()));
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());

        var mount = container.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("mountPath").GetString() == "/blocklists");
        var volume = pod.GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == mount.GetProperty("name").GetString());
        var configMapName = volume.GetProperty("configMap").GetProperty("name").GetString();
        var configMap = manifests.Single(m => m.GetProperty("kind").GetString() == "ConfigMap" && m.GetProperty("metadata").GetProperty("name").GetString() == configMapName);
        foreach (var list in configMap.GetProperty("data").EnumerateObject())
        {
            var parsed = BlocklistParser.Parse(Encoding.UTF8.GetBytes(list.Value.GetString()!), list.Name, BlockAction.NxDomain);
            Assert.Empty(parsed.Problems);
            Assert.NotEmpty(parsed.Rules);
        }

        var service = manifests.First(m => m.GetProperty("kind").GetString() == "Service");
        var published = service.GetProperty("spec").GetProperty("ports").EnumerateArray()
            .Select(p => $"{p.GetProperty("port").GetInt32()}/{p.GetProperty("protocol").GetString()}->{p.GetProperty("targetPort").GetString()}").ToList();
        Assert.Equal(["53/UDP->dns-udp", "53/TCP->dns-tcp"], published);
    }

    private static async Task<(int Code, string Output)> ValidateAsync(params string[] extra)
    {
        var validator = Validator;
        var start = new ProcessStartInfo("node") { WorkingDirectory = validator, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "validate.js", Deploy }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start (install nodejs)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }
}
