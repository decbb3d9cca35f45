using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("A warm-up stream from a source pod to a target pod.")]
public sealed class WarmUpStatus
{
    [JsonPropertyName("pool")]
    public string Pool { get; set; } = "";

    [JsonPropertyName("shard")]
    public string Shard { get; set; } = "";

    [JsonPropertyName("source")]
    [Description("The pod sending the data.")]
    public string Source { get; set; } = "";

    [JsonPropertyName("target")]
    [Description("The pod being filled.")]
    public string Target { get; set; } = "";

    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The stream's step as the target reports it (snapshot, log, caught up, failed).")]
    public string? Phase { get; set; }

    [JsonPropertyName("itemsCopied")]
    public long ItemsCopied { get; set; }

    [JsonPropertyName("bytesCopied")]
    public long BytesCopied { get; set; }

    [JsonPropertyName("lagItems")]
    [Description("Mutations the target is behind the source.")]
    public long LagItems { get; set; }

    [JsonPropertyName("startedAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? StartedAt { get; set; }
}
