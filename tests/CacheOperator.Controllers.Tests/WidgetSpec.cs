using System.Text.Json.Serialization;

namespace CacheOperator.Controllers.Tests;

public sealed class WidgetSpec
{
    [JsonPropertyName("size")] public int? Size { get; set; }
    [JsonPropertyName("color")] public string? Color { get; set; }
}
