using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox;

public sealed class SandboxServerOptions
{
    /// <summary>API server port; 0 takes a free one.</summary>
    public int Port { get; init; }

    /// <summary>When set, the store is restored from it at start and written to it at stop.</summary>
    public string? SnapshotPath { get; init; }

    public string NodeName { get; init; } = "sandbox-node";

    public required string KubeletDirectory { get; init; }

    public required ImageResolver Images { get; init; }
}
