using System.Text.Json.Serialization;

namespace CacheOperator.Controllers.Tests;

public sealed class WidgetStatus
{
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
}
