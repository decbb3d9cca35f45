namespace CacheOperator.Reconciler.Tests.Orchestration;

/// <summary>A clock that moves only when the test says, so thresholds and graces are crossed without waiting.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
