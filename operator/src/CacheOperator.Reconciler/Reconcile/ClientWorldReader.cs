using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Reconciler.Naming;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>Reads straight from the API: one request per read, always current.</summary>
public sealed class ClientWorldReader(IKubernetesClient client) : IWorldReader
{
    public Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct) where T : KubernetesObject =>
        client.GetAsync<T>(ns, name, ct);

    public async Task<IReadOnlyList<T>> ListAsync<T>(string ns, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
        where T : KubernetesObject
    {
        var items = new List<T>();
        string? next = null;
        for (int page = 0; page < 1000; page++)
        {
            var list = await client.ListAsync<T>(ns, new ListOptions { LabelSelector = ClusterLabels.Format(labels), Continue = next }, ct)
                .ConfigureAwait(false);
            items.AddRange(list.Items);
            next = list.Metadata?.Continue;
            if (string.IsNullOrEmpty(next))
                break;
        }

        return items;
    }
}
