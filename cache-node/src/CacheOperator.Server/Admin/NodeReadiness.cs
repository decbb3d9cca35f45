namespace CacheOperator.Server.Admin;

/// <summary>Whether the node takes traffic: set once both listeners are up, cleared when shutdown begins.</summary>
public sealed class NodeReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    public void MarkStopping() => _ready = false;
}
