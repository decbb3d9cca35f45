namespace CacheOperator.Api.V1Alpha1;

/// <summary>
/// The CEL rules of the CacheCluster schema and their messages, in one place so the attributes on the types, the
/// C# validator and the tests use the same text. Rules use only standard CEL and the Kubernetes quantity library
/// (API servers 1.29 and later).
/// </summary>
public static class CelRules
{
    // The name prefixes everything the cluster owns: a StatefulSet "<name>-<pool>" (pool names have at most 20
    // characters) must stay within 52 characters, because its pods carry a controller-revision-hash label of the
    // StatefulSet's name plus 11 characters, and label values stop at 63. Only size() is used on the name: a
    // server estimates the cost of a rule on metadata.name as for a string of unbounded length.
    public const string NameLength = "size(self.metadata.name) <= 31";
    public const string NameLengthMessage =
        "a CacheCluster's name may be at most 31 characters long: it prefixes the names of its StatefulSets and pods";

    public const string MemoryRange =
        "isQuantity(self) && quantity(self).compareTo(quantity('64Mi')) >= 0 && quantity(self).compareTo(quantity('256Gi')) <= 0";
    public const string MemoryRangeMessage = "memory must be a quantity between 64Mi and 256Gi";

    public const string MaxItemSizeRange =
        "isQuantity(self) && quantity(self).compareTo(quantity('1Ki')) >= 0 && quantity(self).compareTo(quantity('128Mi')) <= 0";
    public const string MaxItemSizeRangeMessage = "maxItemSize must be a quantity between 1Ki and 128Mi";

    // A node keeps items in segments at least as large as the largest item; with fewer than eight segments'
    // worth of memory, eviction would throw away most of the cache at a time.
    public const string MaxItemSizeFitsMemory =
        "!has(self.maxItemSize) || !has(self.memory) || !isQuantity(self.maxItemSize) || !isQuantity(self.memory) || " +
        "quantity(self.maxItemSize).asApproximateFloat() * 8.0 <= quantity(self.memory).asApproximateFloat()";
    public const string MaxItemSizeFitsMemoryMessage = "maxItemSize may be at most an eighth of memory";

    public const string MaxItemSizeFitsPoolMemory =
        "!has(self.pools) || !has(self.maxItemSize) || !isQuantity(self.maxItemSize) || " +
        "self.pools.all(p, !has(p.memory) || !isQuantity(p.memory) || " +
        "quantity(self.maxItemSize).asApproximateFloat() * 8.0 <= quantity(p.memory).asApproximateFloat())";
    public const string MaxItemSizeFitsPoolMemoryMessage = "maxItemSize may be at most an eighth of every pool's memory";

    public const string PrefixesDisjoint =
        "self.all(p, self.all(q, p.name == q.name || !p.prefixes.exists(x, x in q.prefixes)))";
    public const string PrefixesDisjointMessage = "a key prefix may belong to only one pool";

    public const string PoolNameNotDefault = "self.name != 'default'";
    public const string PoolNameNotDefaultMessage = "the pool name \"default\" is reserved for the cluster's own pool";

    public const string TlsSecretRequired =
        "!has(self.enabled) || !self.enabled || (has(self.secretName) && size(self.secretName) > 0)";
    public const string TlsSecretRequiredMessage = "tls.secretName is required when tls is enabled";
}
