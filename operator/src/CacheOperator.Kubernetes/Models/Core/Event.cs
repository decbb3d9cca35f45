using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>core/v1 Event (what kubectl describe shows).</summary>
[KubernetesResource("", "v1", "Event", "events")]
public sealed class Event : KubernetesObject
{
    [JsonPropertyName("involvedObject")] public ObjectReference InvolvedObject { get; set; } = new();
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    /// <summary>Normal or Warning.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("count")] public int? Count { get; set; }
    [JsonPropertyName("firstTimestamp")] public DateTimeOffset? FirstTimestamp { get; set; }
    [JsonPropertyName("lastTimestamp")] public DateTimeOffset? LastTimestamp { get; set; }
    /// <summary>A MicroTime: microsecond precision on the wire.</summary>
    [JsonPropertyName("eventTime")] [JsonConverter(typeof(MicroTimeConverter))] public DateTimeOffset? EventTime { get; set; }
    [JsonPropertyName("source")] public EventSource? Source { get; set; }
    [JsonPropertyName("reportingComponent")] public string? ReportingComponent { get; set; }
    [JsonPropertyName("reportingInstance")] public string? ReportingInstance { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("related")] public ObjectReference? Related { get; set; }
}
