using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Reconciler.Ring;

/// <summary>
/// Which pod plays which role in every pool: durable state kept beside the ring (key <c>members.json</c> of the
/// ring ConfigMap). Once made, an assignment is never recomputed from pod ordinals, so a later orchestration
/// step that moves a shard to a standby is not undone by the next reconcile.
/// </summary>
public sealed record MemberAssignment(IReadOnlyList<PoolAssignment> Pools)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public PoolAssignment? Find(string pool) => Pools.FirstOrDefault(p => p.Name == pool);

    /// <summary>Compact, like the ring: both share the ConfigMap's 1 MiB.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads <c>members.json</c>; null when absent or unreadable (the ring is then rebuilt from scratch).</summary>
    public static MemberAssignment? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            var assignment = JsonSerializer.Deserialize<MemberAssignment>(json, Options);
            return assignment?.Pools is { Count: > 0 } && assignment.Pools.All(p => p?.Members is not null) ? assignment : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
