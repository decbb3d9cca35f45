using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Kubernetes.Models.Core;

/// <summary>A probe that runs a command in the container; exit code 0 passes.</summary>
public sealed class ExecAction
{
    [JsonPropertyName("command")] public IList<string>? Command { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
