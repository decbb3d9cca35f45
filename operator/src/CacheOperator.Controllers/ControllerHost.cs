using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Controllers;

/// <summary>
/// Runs the controllers: at once, or — with a <see cref="LeaderElector"/> — only while this replica leads. When
/// leadership is lost the controllers are stopped and <see cref="RunAsync"/> returns <see cref="LeadershipEnd.Lost"/>;
/// the process should then exit (as controller-runtime does) so it restarts as a clean candidate.
/// </summary>
public sealed class ControllerHost
{
    private readonly IReadOnlyList<IController> _controllers;
    private readonly LeaderElector? _elector;
    private readonly ILogger _logger;

    public ControllerHost(IEnumerable<IController> controllers, LeaderElector? elector = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        _controllers = controllers.ToList();
        _elector = elector;
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<IController> Controllers => _controllers;

    /// <summary>True when every controller's caches have synced (what /readyz may report while leading).</summary>
    public bool HasSynced => _controllers.All(c => c.HasSynced);

    /// <summary>Leading, or not electing at all.</summary>
    public bool IsActive => _elector?.IsLeader ?? true;

    /// <summary>Runs until <paramref name="ct"/> is cancelled or leadership is lost; controllers are stopped on return.</summary>
    public async Task<LeadershipEnd> RunAsync(CancellationToken ct)
    {
        if (_elector is null)
        {
            await RunControllersAsync(ct).ConfigureAwait(false);
            return LeadershipEnd.Cancelled;
        }
        LeadershipEnd end = await _elector.RunAsync(RunControllersAsync, ct).ConfigureAwait(false);
        if (end == LeadershipEnd.Lost)
            ControllersLog.HostLostLeadership(_logger);
        return end;
    }

    private Task RunControllersAsync(CancellationToken ct)
        => Task.WhenAll(_controllers.Select(c => Task.Run(() => c.RunAsync(ct), CancellationToken.None)));
}
