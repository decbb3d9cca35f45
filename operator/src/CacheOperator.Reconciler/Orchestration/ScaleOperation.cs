using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheOperator.Reconciler.Orchestration;

/// <summary>
/// The scale operation of one pool, kept in the ring ConfigMap (key <c>orchestration.json</c>) so an operator
/// that restarts resumes where the last one stopped. The finished operation stays there (phase Done) so status
/// can still show its warm-ups, until the next one replaces it.
/// </summary>
public sealed class ScaleOperation
{
    public const string ScaleOut = "scale-out";
    public const string ScaleIn = "scale-in";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Operation { get; set; } = ScaleOut;

    public string Pool { get; set; } = "";

    public IList<string> FromShards { get; set; } = [];

    public IList<string> ToShards { get; set; } = [];

    /// <summary>The pods added for the new shards.</summary>
    public IList<string> NewPods { get; set; } = [];

    public ScalePhase Phase { get; set; }

    public IList<ScaleTransfer> Transfers { get; set; } = [];

    /// <summary>The ring version that carries the new table, once published.</summary>
    public long PublishedVersion { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? WarmUpStartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What the operation waits for now, for status.</summary>
    public string? Message { get; set; }

    [JsonIgnore]
    public bool Active => Phase != ScalePhase.Done;

    /// <summary>Whether routers should already get the new table.</summary>
    [JsonIgnore]
    public bool TablePublished => Phase >= ScalePhase.Publishing;

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static ScaleOperation? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            var operation = JsonSerializer.Deserialize<ScaleOperation>(json, Options);
            return operation is { Pool.Length: > 0, ToShards.Count: > 0 } ? operation : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public ScaleOperation Clone() => TryParse(ToJson()) ?? throw new InvalidOperationException("operation does not round-trip");
}
