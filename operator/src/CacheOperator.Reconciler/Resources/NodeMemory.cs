namespace CacheOperator.Reconciler.Resources;

/// <summary>
/// From the item memory a user asks for (spec.memory) to the node's <c>-m</c> flag and its container's memory.
/// </summary>
public static class NodeMemory
{
    /// <summary>Fixed runtime overhead on top of item memory.</summary>
    public const long BaseOverheadBytes = 64 * MemoryQuantity.Mebibyte;

    /// <summary>
    /// <c>-m</c> in whole MiB, rounded down so the store never exceeds what was asked for; at least 1 MiB.
    /// </summary>
    public static int ItemMemoryMegabytes(long itemMemoryBytes) =>
        (int)Math.Max(1, Math.Min(int.MaxValue, itemMemoryBytes / MemoryQuantity.Mebibyte));

    /// <summary>
    /// The container's memory request and limit (equal: Guaranteed QoS, so a cache is the last thing the kubelet
    /// evicts) in bytes. Item memory is not all a node uses: the index, per-connection buffers, replication
    /// logs and the .NET runtime and GC need room that grows with the store, hence 25% on top, plus a fixed
    /// 64 MiB for the runtime itself. Without the headroom a full cache would be OOM-killed exactly when it is
    /// most useful. Rounded up to a whole MiB so the quantity reads cleanly.
    /// </summary>
    public static long ContainerBytes(long itemMemoryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(itemMemoryBytes);
        long withHeadroom = checked(itemMemoryBytes + (itemMemoryBytes + 3) / 4 + BaseOverheadBytes);
        long mebibytes = (withHeadroom + MemoryQuantity.Mebibyte - 1) / MemoryQuantity.Mebibyte;
        return mebibytes * MemoryQuantity.Mebibyte;
    }

    /// <summary>The container memory as a quantity string.</summary>
    public static string ContainerQuantity(string itemMemory) => MemoryQuantity.FormatBytes(ContainerBytes(MemoryQuantity.ParseBytes(itemMemory)));
}
