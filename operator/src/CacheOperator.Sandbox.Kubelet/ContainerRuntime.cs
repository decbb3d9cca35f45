using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>The kubelet's record of one container of a pod across its runs.</summary>
internal sealed class ContainerRuntime(Container spec, bool isInit, RestartBackoff backoff)
{
    private volatile bool _ready;

    public Container Spec { get; } = spec;
    public bool IsInit { get; } = isInit;
    public RestartBackoff Backoff { get; } = backoff;

    /// <summary>The current run, or null between runs.</summary>
    public ContainerProcess? Process { get; set; }
    public CancellationTokenSource? ProbeStop { get; set; }
    public IReadOnlyDictionary<string, string>? Environment { get; set; }
    public string WorkingDirectory { get; set; } = "";
    public string? ImageId { get; set; }

    public int Runs { get; set; }
    public int RestartCount { get; set; }
    public ContainerStateTerminated? LastTermination { get; set; }
    public ContainerStateWaiting? Waiting { get; set; }
    public DateTimeOffset NotBefore { get; set; }

    /// <summary>Terminated and not to be restarted (restart policy).</summary>
    public bool Done { get; set; }

    public bool Succeeded => Done && LastTermination?.ExitCode == 0;

    /// <summary>Written by the probe loop, read by the sync loop.</summary>
    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }

    public bool IsRunning => Process is not null;
}
