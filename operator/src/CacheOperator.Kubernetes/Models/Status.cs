using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>meta/v1 Status: how the API server reports an error.</summary>
public sealed class Status
{
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Status";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")] public string? Outcome { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    /// <summary>NotFound, AlreadyExists, Conflict, Invalid, Expired, ...</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("code")] public int Code { get; set; }
    [JsonPropertyName("details")] public JsonElement? Details { get; set; }
}
