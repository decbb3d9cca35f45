using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using K8sEndpoints = CacheOperator.Kubernetes.Models.Core.Endpoints;

namespace CacheOperator.Sandbox.Controllers.Endpoints;

/// <summary>
/// Keeps the Endpoints object of every Service that has a selector equal to <see cref="EndpointsBuilder"/>'s
/// answer, written only when it differs; deletes it when the Service is gone. Services without a selector are
/// left to whoever manages their Endpoints. EndpointSlices are not produced.
/// </summary>
public sealed class EndpointsController(IKubernetesClient client)
{
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    public async Task<TimeSpan?> ReconcileAsync(string? ns, string name, CancellationToken ct = default)
    {
        Service? service = await client.GetAsync<Service>(ns, name, ct).ConfigureAwait(false);
        K8sEndpoints? current = await client.GetAsync<K8sEndpoints>(ns, name, ct).ConfigureAwait(false);
        if (service is null || PodInspection.IsTerminating(service))
        {
            if (current is not null && service is null)
            {
                try
                {
                    await client.DeleteAsync<K8sEndpoints>(ns, name, null, ct).ConfigureAwait(false);
                }
                catch (KubernetesApiException ex) when (ex.IsNotFound)
                {
                }
            }
            return null;
        }
        if (service.Spec.Selector is null || service.Spec.Selector.Count == 0)
            return null;

        KubernetesList<Pod> pods = await client.ListAsync<Pod>(ns, null, ct).ConfigureAwait(false);
        List<EndpointSubset> subsets = EndpointsBuilder.Build(service, pods.Items);
        var labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (service.Spec.ClusterIP == "None")
            labels[HeadlessLabel] = "";

        if (current is null)
        {
            await client.CreateAsync(new K8sEndpoints
            {
                ApiVersion = "v1",
                Kind = "Endpoints",
                Metadata = new ObjectMeta { Name = name, Namespace = service.Metadata.Namespace, Labels = labels },
                Subsets = subsets,
            }, ct).ConfigureAwait(false);
            return null;
        }
        if (KubernetesJson.Serialize(current.Subsets ?? []) == KubernetesJson.Serialize(subsets) && SameLabels(current.Metadata.Labels, labels))
            return null;
        current.Subsets = subsets;
        current.Metadata.Labels = labels;
        await client.ReplaceAsync(current, ct).ConfigureAwait(false);
        return null;
    }

    private static bool SameLabels(IDictionary<string, string>? a, Dictionary<string, string> b) =>
        (a?.Count ?? 0) == b.Count && b.All(l => a!.TryGetValue(l.Key, out string? value) && value == l.Value);
}
