namespace NationalDns.IntegrationTests.Packaging;

/// <summary>
/// A fact that needs the manifest validator's packages (<c>npm ci</c> in deploy/kubernetes/validate, which
/// <c>.ci/run</c> does). xUnit 2 has no dynamic skip, so the attribute decides: skipped, with the reason, only when
/// they are absent.
/// </summary>
internal sealed class KubernetesSchemasFactAttribute : FactAttribute
{
    public KubernetesSchemasFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(KubernetesManifestTests.Validator, "node_modules")))
        {
            Skip = $"the Kubernetes schemas are not installed (run 'npm ci' in {KubernetesManifestTests.Validator}; .ci/run does)";
        }
    }
}
