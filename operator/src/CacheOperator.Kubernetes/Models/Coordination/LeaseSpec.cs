using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Serialization;

namespace CacheOperator.Kubernetes.Models.Coordination;

/// <summary>Who holds the lease and until when. The times are MicroTime (microsecond precision on the wire).</summary>
public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity")] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds")] public int? LeaseDurationSeconds { get; set; }
    [JsonPropertyName("acquireTime")] [JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? AcquireTime { get; set; }
    [JsonPropertyName("renewTime")] [JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? RenewTime { get; set; }
    [JsonPropertyName("leaseTransitions")] public int? LeaseTransitions { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
