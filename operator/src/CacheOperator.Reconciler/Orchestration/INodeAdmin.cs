namespace CacheOperator.Reconciler.Orchestration;

/// <summary>The node replication admin calls a scale-out makes. Failures answer null/false, never throw.</summary>
public interface INodeAdmin
{
    /// <summary>
    /// Starts a warm-up pull on the target, no faster than <paramref name="bytesPerSecond"/> when given; the pull's
    /// id, or null when the node refused or did not answer.
    /// </summary>
    Task<string?> StartPullAsync(string targetIP, string sourceIP, string buckets, int bucketCount, string token,
        long? bytesPerSecond, CancellationToken ct);

    /// <summary>The target's streams; null when it did not answer.</summary>
    Task<IReadOnlyList<NodeStream>?> GetStreamsAsync(string podIP, string token, CancellationToken ct);

    /// <summary>Ends a pull; true when it ended or did not exist.</summary>
    Task<bool> StopPullAsync(string targetIP, string pullId, string token, CancellationToken ct);

    /// <summary>Has the source free buckets that moved away; true when it did.</summary>
    Task<bool> DropAsync(string sourceIP, string buckets, int bucketCount, string token, CancellationToken ct);
}
