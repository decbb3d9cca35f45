namespace CacheOperator.Reconciler.Ring;

/// <summary>What a node pod does in the ring.</summary>
public enum MemberRole
{
    Primary,
    Replica,
    Standby,
}
