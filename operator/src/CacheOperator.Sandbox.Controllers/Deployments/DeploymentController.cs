using System.Security.Cryptography;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.Controllers.Runtime;

namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>
/// Reconciles one Deployment, reading it and its pods fresh each time and taking the step
/// <see cref="DeploymentPlanner"/> decides. Pods are owned by the Deployment directly and named
/// <c>&lt;deployment&gt;-&lt;template hash&gt;-&lt;5 random characters&gt;</c>, as if a ReplicaSet
/// <c>&lt;deployment&gt;-&lt;hash&gt;</c> had made them — there are no ReplicaSet objects (a documented
/// simplification: nothing in this product reads them). A paused Deployment only has its status written;
/// minReadySeconds and progressDeadlineSeconds are not honoured.
/// </summary>
public sealed class DeploymentController(IKubernetesClient client, TimeProvider time, EventRecorder? events = null)
{
    public async Task<TimeSpan?> ReconcileAsync(string? ns, string name, CancellationToken ct = default)
    {
        Deployment? deployment = await client.GetAsync<Deployment>(ns, name, ct).ConfigureAwait(false);
        if (deployment is null || PodInspection.IsTerminating(deployment))
            return null;
        KubernetesList<Pod> pods = await client.ListAsync<Pod>(ns, null, ct).ConfigureAwait(false);
        List<Pod> owned = pods.Items.Where(p => PodInspection.IsControlledBy(p, deployment)).ToList();
        owned.AddRange(await ControllerSupport.AdoptAsync(client, deployment,
            ControllerSupport.OwnerReferenceTo(deployment, "apps/v1", "Deployment"), deployment.Spec.Selector, pods.Items, _ => true, ct)
            .ConfigureAwait(false));

        int replicas = deployment.Spec.Replicas ?? 1;
        string hash = ControllerSupport.HashOf(deployment.Spec.Template);
        bool recreate = deployment.Spec.Strategy?.Type == "Recreate";
        (int maxSurge, int maxUnavailable) = recreate
            ? (0, 0)
            : RollingBudget.Resolve(deployment.Spec.Strategy?.RollingUpdate?.MaxSurge,
                deployment.Spec.Strategy?.RollingUpdate?.MaxUnavailable, replicas);
        var input = new DeploymentPlanInput(replicas, hash,
            owned.Select(p => PodInspection.Facts(p, WellKnownLabels.PodTemplateHash)).ToList())
        {
            Recreate = recreate,
            MaxSurge = maxSurge,
            MaxUnavailable = maxUnavailable,
        };

        if (deployment.Spec.Paused != true)
        {
            DeploymentPlan plan = DeploymentPlanner.Plan(input);
            for (int i = 0; i < plan.Create; i++)
            {
                Pod pod = await client.CreateAsync(BuildPod(deployment, hash), ct).ConfigureAwait(false);
                if (events is not null)
                    await events.NormalAsync(deployment, "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
            }
            foreach (string podName in plan.Delete)
            {
                await ControllerSupport.DeletePodAsync(client, owned.First(p => p.Metadata.Name == podName), ct).ConfigureAwait(false);
                if (events is not null)
                    await events.NormalAsync(deployment, "SuccessfulDelete", $"Deleted pod: {podName}", ct).ConfigureAwait(false);
            }
        }

        DeploymentStatus status = DeploymentStatusCalculator.Compute(name, input, deployment.Metadata.Generation,
            deployment.Status, time.GetUtcNow());
        if (!ControllerSupport.StatusEquals(deployment.Status, status))
        {
            deployment.Status = status;
            await client.ReplaceStatusAsync(deployment, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>A new pod from the Deployment's template, with a fresh random name.</summary>
    public static Pod BuildPod(Deployment deployment, string templateHash)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        PodTemplateSpec template = KubernetesJson.Clone(deployment.Spec.Template);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WellKnownLabels.PodTemplateHash] = templateHash,
        };
        return new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{templateHash}-{RandomSuffix()}",
                Namespace = deployment.Metadata.Namespace,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [ControllerSupport.OwnerReferenceTo(deployment, "apps/v1", "Deployment")],
            },
            Spec = template.Spec,
        };
    }

    private static string RandomSuffix() => string.Create(5, 0, static (span, _) =>
    {
        for (int i = 0; i < span.Length; i++)
            span[i] = TemplateHash.Alphabet[RandomNumberGenerator.GetInt32(TemplateHash.Alphabet.Length)];
    });
}
