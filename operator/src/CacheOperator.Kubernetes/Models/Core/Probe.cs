using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A readiness, liveness or startup check: exactly one of httpGet, tcpSocket, exec.</summary>
public sealed class Probe
{
    [JsonPropertyName("httpGet")] public HttpGetAction? HttpGet { get; set; }
    [JsonPropertyName("tcpSocket")] public TcpSocketAction? TcpSocket { get; set; }
    [JsonPropertyName("exec")] public ExecAction? Exec { get; set; }
    [JsonPropertyName("initialDelaySeconds")] public int? InitialDelaySeconds { get; set; }
    [JsonPropertyName("periodSeconds")] public int? PeriodSeconds { get; set; }
    [JsonPropertyName("timeoutSeconds")] public int? TimeoutSeconds { get; set; }
    [JsonPropertyName("successThreshold")] public int? SuccessThreshold { get; set; }
    [JsonPropertyName("failureThreshold")] public int? FailureThreshold { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
