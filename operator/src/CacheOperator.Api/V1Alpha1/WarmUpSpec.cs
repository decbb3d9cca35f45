using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;

namespace CacheOperator.Api.V1Alpha1;

[Description("Warm-up streams (snapshot plus log) that fill a pod before the ring sends it traffic.")]
public sealed class WarmUpSpec
{
    [JsonPropertyName("maxLagItems")]
    [Default(1000L), Minimum(0)]
    [Description("The ring moves to the new pod once the stream is fewer than this many mutations behind.")]
    public long MaxLagItems { get; set; } = 1000;

    [JsonPropertyName("timeoutSeconds")]
    [Default(600), Minimum(1), Maximum(86_400)]
    [Description("A warm-up not caught up after this long is abandoned and the pod starts cold.")]
    public int TimeoutSeconds { get; set; } = 600;

    [JsonPropertyName("bytesPerSecond")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Minimum(1)]
    [Description("Cap on a stream's transfer rate. Empty: no cap.")]
    public long? BytesPerSecond { get; set; }
}
