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

    /// <summary>Lowering replicasPerShard: the surplus copies leave the ring, then the StatefulSet shrinks.</summary>
    public const string RemoveReplicas = "remove-replicas";

    /// <summary>Lowering standbys: the standbys above the new pod count leave the ring, then the StatefulSet shrinks.</summary>
    public const string RemoveStandbys = "remove-standbys";

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

    /// <summary>The pods a lowering of replicasPerShard or standbys has the StatefulSet delete.</summary>
    public IList<string> LeavingPods { get; set; } = [];

    /// <summary>replicasPerShard before and after a lowering; null for a change of shards.</summary>
    public int? FromReplicasPerShard { get; set; }

    public int? ToReplicasPerShard { get; set; }

    /// <summary>standbys before and after a lowering; null for a change of shards.</summary>
    public int? FromStandbys { get; set; }

    public int? ToStandbys { get; set; }

    public ScalePhase Phase { get; set; }

    /// <summary>The kept pods a lowering made replicas of shards short of copies (phase CopyingDown), for status and events.</summary>
    public IList<ShrinkCopy> Copies { get; set; } = [];

    public IList<ScaleTransfer> Transfers { get; set; } = [];

    /// <summary>The ring version that carries the new table, once published.</summary>
    public long PublishedVersion { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the warm-up (a scale) or the copy-down (a lowering, first seen copying) started.</summary>
    public DateTimeOffset? WarmUpStartedAt { get; set; }

    /// <summary>A copy-down outlasted spec.warmUp.timeoutSeconds and its Warning was recorded (once per operation).</summary>
    public bool CopySlowReported { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What the operation waits for now, for status.</summary>
    public string? Message { get; set; }

    [JsonIgnore]
    public bool Active => Phase != ScalePhase.Done;

    /// <summary>A lowering of replicasPerShard or standbys: no bucket moves, only members leave.</summary>
    [JsonIgnore]
    public bool Lowering => Operation is RemoveReplicas or RemoveStandbys;

    /// <summary>"replicasPerShard 2 → 1", "standbys 2 → 1", "shards 3 → 2": what the operation changes.</summary>
    [JsonIgnore]
    public string Change => Operation switch
    {
        RemoveReplicas => $"replicasPerShard {FromReplicasPerShard} → {ToReplicasPerShard}",
        RemoveStandbys => $"standbys {FromStandbys} → {ToStandbys}",
        _ => $"shards {FromShards.Count} → {ToShards.Count}",
    };

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
