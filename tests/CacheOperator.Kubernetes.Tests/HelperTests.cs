using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Apps;
using CacheOperator.Kubernetes.Models.Coordination;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Kubernetes.Models.Networking;
using CacheOperator.Kubernetes.Models.Policy;

namespace CacheOperator.Kubernetes.Tests;

public class HelperTests
{
    [Theory]
    [InlineData(typeof(Pod), "ns1", "p", null, "/api/v1/namespaces/ns1/pods/p")]
    [InlineData(typeof(Pod), null, null, null, "/api/v1/pods")]
    [InlineData(typeof(Pod), "ns1", "p", "status", "/api/v1/namespaces/ns1/pods/p/status")]
    [InlineData(typeof(Namespace), "ignored", "kube-system", null, "/api/v1/namespaces/kube-system")]
    [InlineData(typeof(Node), null, "n1", null, "/api/v1/nodes/n1")]
    [InlineData(typeof(StatefulSet), "ns1", "web", "scale", "/apis/apps/v1/namespaces/ns1/statefulsets/web/scale")]
    [InlineData(typeof(Lease), "kube-system", "leader", null, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leader")]
    [InlineData(typeof(PodDisruptionBudget), "ns1", null, null, "/apis/policy/v1/namespaces/ns1/poddisruptionbudgets")]
    [InlineData(typeof(NetworkPolicy), "ns1", "np", null, "/apis/networking.k8s.io/v1/namespaces/ns1/networkpolicies/np")]
    [InlineData(typeof(ConfigMap), "ns 1", "a/b", null, "/api/v1/namespaces/ns%201/configmaps/a%2Fb")]
    public void ResourcePath_FollowsTheRestLayout(Type type, string? ns, string? name, string? subresource, string expected)
    {
        Assert.Equal(expected, ResourcePath.For(KubernetesResource.Of(type), ns, name, subresource));
    }

    [Fact]
    public void Query_OmitsUnsetOptions_AndEscapesValues()
    {
        Assert.Equal("", ResourcePath.Query(new ListOptions(), watch: false));
        Assert.Equal("?watch=true&labelSelector=a%3Db%2Cc%21%3Dd&limit=5",
            ResourcePath.Query(new ListOptions { LabelSelector = "a=b,c!=d", Limit = 5 }, watch: true));
    }

    [Fact]
    public void KubernetesResource_OfATypeWithoutTheAttribute_SaysSo()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesResource.Of<PodSpec>());

        Assert.Contains("KubernetesResource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionsSet_SameStatus_KeepsTheTransitionTime_ButUpdatesReasonAndMessage()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var list = new List<Condition>();

        Assert.True(Conditions.Set(list, new Condition { Type = "Ready", Status = "False", Reason = "Starting" }, t0));
        Assert.True(Conditions.Set(list, new Condition { Type = "Ready", Status = "False", Reason = "Warming" }, t0.AddMinutes(1)));
        Assert.False(Conditions.Set(list, new Condition { Type = "Ready", Status = "False", Reason = "Warming" }, t0.AddMinutes(2)));

        var ready = Assert.Single(list);
        Assert.Equal(t0, ready.LastTransitionTime);
        Assert.Equal("Warming", ready.Reason);
    }

    [Fact]
    public void ConditionsSet_StatusChange_MovesTheTransitionTime()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var list = new List<Condition>();
        Conditions.Set(list, new Condition { Type = "Ready", Status = "False" }, t0);

        Assert.True(Conditions.Set(list, new Condition { Type = "Ready", Status = "True", ObservedGeneration = 2 }, t0.AddMinutes(5)));

        Assert.Equal(t0.AddMinutes(5), list[0].LastTransitionTime);
        Assert.True(Conditions.IsTrue(list, "Ready"));
        Assert.Equal(2, list[0].ObservedGeneration);
        Assert.False(Conditions.IsTrue(list, "Degraded"));
    }

    [Fact]
    public void OwnerReference_ForAControllerOwner_CarriesIdentityAndBlocksDeletion()
    {
        var owner = new StatefulSet { Metadata = { Name = "web", Uid = "u-1" } };

        var reference = OwnerReferences.For(owner);
        var child = new Pod { Metadata = { OwnerReferences = [reference] } };

        Assert.Equal(("apps/v1", "StatefulSet", "web", "u-1"), (reference.ApiVersion, reference.Kind, reference.Name, reference.Uid));
        Assert.True(reference.Controller);
        Assert.True(reference.BlockOwnerDeletion);
        Assert.True(OwnerReferences.IsOwnedBy(child, owner));
        Assert.Same(reference, OwnerReferences.ControllerOf(child));
    }

    [Fact]
    public void OwnerReference_NonController_LeavesTheFlagsOut()
    {
        var reference = new ConfigMap { Metadata = { Name = "x", Uid = "u" } }.ToOwnerReference(controller: false);

        Assert.Null(reference.Controller);
        Assert.Null(reference.BlockOwnerDeletion);
    }

    [Fact]
    public void OwnerReference_OfAnUnsavedObject_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => OwnerReferences.For(new ConfigMap { Metadata = { Name = "x" } }));
    }

    [Fact]
    public void ObjectReference_UsesTheObjectsOwnKind()
    {
        var obj = new Pod { ApiVersion = "v1", Kind = "Pod", Metadata = { Name = "p", Namespace = "n", Uid = "u", ResourceVersion = "3" } };

        var reference = obj.ToObjectReference();

        Assert.Equal(("v1", "Pod", "n", "p", "u", "3"),
            (reference.ApiVersion, reference.Kind, reference.Namespace, reference.Name, reference.Uid, reference.ResourceVersion));
    }

    [Fact]
    public async Task OnConflict_RetriesConflicts_UntilSuccess()
    {
        int calls = 0;

        int result = await KubernetesRetry.OnConflictAsync(() =>
        {
            calls++;
            return calls < 3 ? throw Error(409, "Conflict") : Task.FromResult(calls);
        });

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task OnConflict_GivesUpAfterTheAttempts_WithTheLastConflict()
    {
        int calls = 0;

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            KubernetesRetry.OnConflictAsync(() =>
            {
                calls++;
                throw Error(409, "Conflict");
            }, attempts: 2));

        Assert.True(error.IsConflict);
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(409, "AlreadyExists")]
    [InlineData(422, "Invalid")]
    [InlineData(500, "InternalError")]
    public async Task OnConflict_OtherErrors_AreNotRetried(int code, string reason)
    {
        int calls = 0;

        await Assert.ThrowsAsync<KubernetesApiException>(() =>
            KubernetesRetry.OnConflictAsync(() =>
            {
                calls++;
                throw Error(code, reason);
            }));

        Assert.Equal(1, calls);
    }

    private static KubernetesApiException Error(int code, string reason) =>
        new(new Status { Code = code, Reason = reason, Message = reason });
}
