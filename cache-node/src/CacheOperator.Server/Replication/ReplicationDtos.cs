using System.Text.Json;
using System.Text.Json.Serialization;
using CacheOperator.Replication;

namespace CacheOperator.Server.Replication;

/// <summary>
/// POST /replication/pulls: pull buckets from a source node's admin endpoint, optionally no faster than
/// <paramref name="BytesPerSecond"/>.
/// </summary>
public sealed record PullRequestBody(string Source, string Buckets, int BucketCount = 16384, string Mode = "warmup", long? BytesPerSecond = null);

/// <summary>POST /replication/drop: free buckets that moved away.</summary>
public sealed record DropRequestBody(string Buckets, int BucketCount = 16384);

/// <summary>One stream's progress, as the admin API shows it.</summary>
public sealed record StreamStatus(
    string Id, string Role, string Peer, string Buckets, int BucketCount, string Phase, long Items, long Bytes,
    long LogEntries, long LastSequence, long SourceSequence, long LagEntries, long LagMilliseconds, long Restarts,
    long Overflows, long PendingLogBytes, DateTimeOffset StartedAt, string? LastError)
{
    public static StreamStatus From(StreamProgress p) => new(p.Id, p.Role, p.Peer, p.Buckets.ToString(), p.Buckets.BucketCount,
        p.Phase.ToString(), p.Items, p.Bytes, p.LogEntries, p.LastSequence, p.SourceSequence, p.LagEntries, p.LagMilliseconds,
        p.Restarts, p.Overflows, p.PendingLogBytes, p.StartedAt, p.LastError);
}

/// <summary>GET /replication/streams.</summary>
public sealed record ReplicationStatus(bool ReadOnlyReplica, long TotalRestarts, long TotalOverflows, IReadOnlyList<StreamStatus> Streams);

/// <summary>A count answered by promote and drop.</summary>
public sealed record CountResult(long Count);

/// <summary>An error the admin API answers with 400.</summary>
public sealed record ErrorResult(string Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PullRequestBody))]
[JsonSerializable(typeof(DropRequestBody))]
[JsonSerializable(typeof(StreamStatus))]
[JsonSerializable(typeof(ReplicationStatus))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(ErrorResult))]
internal sealed partial class ReplicationJsonContext : JsonSerializerContext;
