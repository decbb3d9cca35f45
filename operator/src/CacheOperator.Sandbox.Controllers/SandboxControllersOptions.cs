namespace CacheOperator.Sandbox.Controllers;

/// <summary>What <see cref="SandboxControllers"/> runs and how.</summary>
public sealed class SandboxControllersOptions
{
    /// <summary>Only this namespace; null or empty = all namespaces.</summary>
    public string? Namespace { get; init; }

    public bool RunStatefulSets { get; init; } = true;
    public bool RunDeployments { get; init; } = true;
    public bool RunScheduler { get; init; } = true;
    public bool RunEndpoints { get; init; } = true;

    /// <summary>Write core/v1 Events for pods created, deleted and scheduled (what kubectl describe shows).</summary>
    public bool RecordEvents { get; init; } = true;

    /// <summary>Every owner is re-evaluated this often even without events (level-based safety net).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A pod no node can take is tried again this often (node events also retry it at once).</summary>
    public TimeSpan UnschedulableRetry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for condition times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where diagnostics go (one line each); null = nowhere.</summary>
    public Action<string>? Log { get; init; }
}
