namespace CacheOperator.LoadGen;

/// <summary>A request written and not yet answered: enough to check its reply.</summary>
internal struct PendingRequest
{
    public bool IsGet;

    public int Key;

    /// <summary>For a get, the version last written when the get was sent; for a set, the version written.</summary>
    public int Version;
}
