namespace CacheOperator.Sandbox.ApiServer;

public sealed class SandboxApiServerOptions
{
    /// <summary>Address to listen on; loopback by default because nothing authenticates.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>Port; 0 takes an ephemeral one (see <see cref="SandboxApiServer.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>When set: loaded at start if the file exists, written on stop.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>How many watch events are kept for watches that resume from a resourceVersion.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>How often a watch that allows bookmarks gets one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the garbage collector scans even when no delete woke it.</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromSeconds(1);
}
