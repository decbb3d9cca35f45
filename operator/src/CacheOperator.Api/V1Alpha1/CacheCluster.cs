using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Api.V1Alpha1;

[KubernetesResource(Group, Version, ResourceKind, Plural)]
[CustomResource("cachecluster", ShortNames = ["cc"], Categories = ["cache"], StatusSubresource = true)]
[ScaleSubresource(".spec.shards", ".status.shards", LabelSelectorPath = ".status.selector")]
[PrinterColumn(0, "Shards", "integer", ".spec.shards", Description = "Shards of the cluster's own pool")]
[PrinterColumn(1, "Ready", "string", ".status.readyText", Description = "Ready members out of all members")]
[PrinterColumn(2, "Ring", "integer", ".status.ringVersion", Description = "Ring version the operator last published")]
[PrinterColumn(3, "Phase", "string", ".status.phase")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
[CelRule(CelRules.NameLength, CelRules.NameLengthMessage)]
[Description("A memcached-compatible cache cluster: sharded, optionally replicated cache nodes behind routers.")]
public sealed class CacheCluster : KubernetesObject
{
    public const string Group = "cacheoperator.io";
    public const string Version = "v1alpha1";
    public const string ResourceKind = "CacheCluster";
    public const string Plural = "cacheclusters";
    public const string ApiVersionValue = Group + "/" + Version;

    public CacheCluster()
    {
        ApiVersion = ApiVersionValue;
        Kind = ResourceKind;
    }

    [JsonPropertyName("spec")]
    [DefaultObject]
    [Description("The cluster the user wants. The operator never writes it.")]
    public CacheClusterSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("What the operator observed. Written only through the status subresource.")]
    public CacheClusterStatus? Status { get; set; }
}
