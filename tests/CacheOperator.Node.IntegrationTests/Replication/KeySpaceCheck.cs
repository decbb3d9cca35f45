namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// Compares what a target holds with what its source holds, key by key, over the key space a test wrote:
/// inside the pulled buckets the same value, flags and TTL (within 1 s, the two reads are not simultaneous);
/// outside them nothing at all.
/// </summary>
public static class KeySpaceCheck
{
    /// <returns>How many keys the source holds inside the pulled buckets (all found on the target).</returns>
    public static async Task<int> AssertTargetMirrorsSourceAsync(
        int sourcePort, int targetPort, IEnumerable<string> keys, Func<string, bool> pulled, CancellationToken cancellation)
    {
        using var source = await TextClient.ConnectAsync(sourcePort, cancellation);
        using var target = await TextClient.ConnectAsync(targetPort, cancellation);
        var problems = new List<string>();
        var mirrored = 0;
        foreach (var key in keys)
        {
            var onSource = await source.MetaGetAsync(key, cancellation);
            var onTarget = await target.MetaGetAsync(key, cancellation);
            if (!pulled(key))
            {
                if (onTarget is not null)
                {
                    problems.Add($"{key}: outside the pulled buckets but the target holds {onTarget}");
                }

                continue;
            }

            if (onSource is null)
            {
                if (onTarget is not null)
                {
                    problems.Add($"{key}: the source has no such item but the target holds {onTarget}");
                }

                continue;
            }

            if (onTarget is null)
            {
                problems.Add($"{key}: the target misses the source's {onSource}");
            }
            else if (onTarget.Value != onSource.Value || onTarget.Flags != onSource.Flags || !TtlsAgree(onSource.Ttl, onTarget.Ttl))
            {
                problems.Add($"{key}: source {onSource}, target {onTarget}");
            }
            else
            {
                mirrored++;
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} keys differ (first 20):\n{string.Join('\n', problems.Take(20))}");
        return mirrored;
    }

    private static bool TtlsAgree(long source, long target) => source == target || (source >= 0 && target >= 0 && Math.Abs(source - target) <= 1);
}
