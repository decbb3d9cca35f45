using Microsoft.Extensions.Logging;

namespace CacheOperator.Controllers;

/// <summary>The controller runtime's log messages, with stable event ids.</summary>
internal static partial class ControllersLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Informer {Kind}: listed {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Informer {Kind}: resourceVersion {ResourceVersion} expired (410); re-listing in {Delay}")]
    public static partial void WatchExpired(ILogger logger, string kind, string? resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Informer {Kind}: list/watch failed; re-listing in {Delay}")]
    public static partial void ListWatchFailed(ILogger logger, Exception exception, string kind, TimeSpan delay);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Informer {Kind}: an event handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Controller {Controller}: reconcile of {Key} failed; retrying in about {Delay}")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string controller, string key, TimeSpan delay);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Controller {Controller}: caches synced, starting {Workers} workers")]
    public static partial void ControllerStarted(ILogger logger, string controller, int workers);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Controller {Controller}: stopped")]
    public static partial void ControllerStopped(ILogger logger, string controller);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Controller {Controller}: in-flight reconciles did not finish within {Timeout}; cancelled")]
    public static partial void ShutdownTimedOut(ILogger logger, string controller, TimeSpan timeout);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Leader election {Lease}: {Identity} became the leader")]
    public static partial void BecameLeader(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Leader election {Lease}: {Identity} stopped leading")]
    public static partial void StoppedLeading(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Leader election {Lease}: the leader is now {Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(EventId = 23, Level = LogLevel.Debug, Message = "Leader election {Lease}: attempt failed")]
    public static partial void AttemptFailed(ILogger logger, Exception exception, string lease);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Leader election {Lease}: {Identity} released the lease")]
    public static partial void Released(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Leader election {Lease}: releasing the lease failed")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string lease);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Controller host: lost leadership; controllers stopped")]
    public static partial void HostLostLeadership(ILogger logger);
}
