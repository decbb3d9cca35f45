namespace CacheOperator.Sandbox.Kubelet;

public sealed class KubeletOptions
{
    public string NodeName { get; init; } = "sandbox-node";

    /// <summary>Pod folders live under <c>&lt;state&gt;/pods</c>.</summary>
    public required string StateDirectory { get; init; }

    public required ImageResolver Images { get; init; }

    /// <summary>The API server the pods' kubeconfig points at (the sandbox's own, over http).</summary>
    public required Uri ApiServer { get; init; }

    /// <summary>How often the Node's Ready condition is renewed.</summary>
    public TimeSpan NodeStatusInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each pod is synced when nothing wakes it earlier (volume re-sync, backoff expiry).</summary>
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Machine-wide address leases, so concurrent sandboxes never hand out the same pod IP; null = none.</summary>
    public string? AddressLeaseDirectory { get; init; } = LoopbackAddressPool.SharedLeaseDirectory;

    public long MaxLogBytes { get; init; } = 10 * 1024 * 1024;

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On kubelet shutdown, the longest a container gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}
