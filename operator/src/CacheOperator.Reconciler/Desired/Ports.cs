namespace CacheOperator.Reconciler.Desired;

/// <summary>The ports every cache-node container listens on.</summary>
public static class Ports
{
    public const int Memcached = 11211;
    public const int Admin = 11212;
    public const string MemcachedName = "memcached";
    public const string AdminName = "admin";
}
