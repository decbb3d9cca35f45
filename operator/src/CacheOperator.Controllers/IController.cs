namespace CacheOperator.Controllers;

/// <summary>What <see cref="ControllerHost"/> runs.</summary>
public interface IController
{
    string Name { get; }

    /// <summary>True once every informer of the controller has listed.</summary>
    bool HasSynced { get; }

    /// <summary>Runs informers and workers until <paramref name="ct"/> is cancelled, then shuts down cleanly.</summary>
    Task RunAsync(CancellationToken ct);
}
