namespace CacheOperator.Controllers;

/// <summary>Why <see cref="LeaderElector.RunAsync"/> returned.</summary>
public enum LeadershipEnd
{
    /// <summary>The caller's token was cancelled (before or while leading); the lease was released if held.</summary>
    Cancelled,
    /// <summary>Renewal failed for longer than the renew deadline; another replica may lead now.</summary>
    Lost,
    /// <summary>The leading work completed by itself; the lease was released.</summary>
    WorkEnded,
}
