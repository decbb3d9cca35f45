using System.Text.Json.Serialization;

namespace CacheOperator.Server.Observability;

/// <summary>Source-generated serialization for <see cref="StatsDocument"/> (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StatsDocument))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class StatsJsonContext : JsonSerializerContext;
