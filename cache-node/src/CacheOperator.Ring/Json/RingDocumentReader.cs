using System.Globalization;
using System.Text;

namespace CacheOperator.Ring.Json;

/// <summary>
/// Validates a deserialized document and builds the ring. Each rule fails with the JSON path of the value it
/// rejects, so an operator or a human can find the mistake without reading code.
/// </summary>
internal sealed class RingDocumentReader
{
    /// <summary>Longest memcached key, and so the longest useful prefix.</summary>
    private const int MaxKeyBytes = 250;

    /// <summary>Where each address was first used: one pod plays one role.</summary>
    private readonly Dictionary<NodeAddress, string> _addresses = [];

    /// <summary>Pool that claimed each prefix, with the prefix's path.</summary>
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public CacheRing Read(RingDocumentDto dto)
    {
        if (dto.SchemaVersion is not int schema)
            throw Fail("$.schemaVersion", "is required");
        if (schema != CacheRing.SchemaVersion)
            throw Fail("$.schemaVersion", $"unsupported schema version {schema} (this build reads {CacheRing.SchemaVersion})");
        if (dto.Version is not long version)
            throw Fail("$.version", "is required");
        if (version <= 0)
            throw Fail("$.version", $"must be a positive integer, not {version}");

        if (dto.Pools is null)
            throw Fail("$.pools", "is required");
        if (dto.Pools.Count == 0)
            throw Fail("$.pools", "must list at least one pool");
        var pools = new List<RingPool>(dto.Pools.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < dto.Pools.Count; i++)
        {
            string path = $"$.pools[{i}]";
            var pool = ReadPool(dto.Pools[i] ?? throw Fail(path, "expected an object"), path);
            if (!names.TryAdd(pool.Name, i))
                throw Fail($"{path}.name", $"duplicate pool name '{pool.Name}' (also $.pools[{names[pool.Name]}])");
            pools.Add(pool);
        }

        if (string.IsNullOrEmpty(dto.DefaultPool))
            throw Fail("$.defaultPool", "is required");
        if (!names.ContainsKey(dto.DefaultPool))
            throw Fail("$.defaultPool", $"pool '{dto.DefaultPool}' is not defined in $.pools");

        var standbys = ReadAddresses(dto.Standbys ?? [], "$.standbys");
        var gutter = dto.Gutter is null ? null : ReadGutter(dto.Gutter, "$.gutter");
        var router = dto.Router is null ? RouterSettings.Default : ReadRouter(dto.Router, "$.router");
        return new CacheRing(version, pools, dto.DefaultPool, standbys, gutter, router);
    }

    private RingPool ReadPool(PoolDto dto, string path)
    {
        if (string.IsNullOrEmpty(dto.Name))
            throw Fail($"{path}.name", "is required");
        if (!IsDnsLabel(dto.Name))
            throw Fail($"{path}.name", $"'{dto.Name}' is not a DNS label (lowercase letters, digits, '-', at most 63)");

        var prefixes = dto.Prefixes ?? [];
        for (int i = 0; i < prefixes.Count; i++)
            ClaimPrefix(prefixes[i], dto.Name, $"{path}.prefixes[{i}]");

        int bucketCount = dto.BucketCount ?? BucketTable.DefaultBucketCount;
        if (bucketCount < 1 || bucketCount > BucketTable.MaxBucketCount)
            throw Fail($"{path}.bucketCount", $"must be between 1 and {BucketTable.MaxBucketCount}, not {bucketCount}");

        if (dto.Shards is null)
            throw Fail($"{path}.shards", "is required");
        if (dto.Shards.Count == 0)
            throw Fail($"{path}.shards", "must list at least one shard");
        if (dto.Shards.Count > bucketCount)
            throw Fail($"{path}.shards", $"{dto.Shards.Count} shards cannot share {bucketCount} buckets");
        var shards = new List<ShardEndpoints>(dto.Shards.Count);
        var shardIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < dto.Shards.Count; j++)
        {
            string shardPath = $"{path}.shards[{j}]";
            var shard = ReadShard(dto.Shards[j] ?? throw Fail(shardPath, "expected an object"), shardPath);
            if (!shardIndex.TryAdd(shard.Id, j))
                throw Fail($"{shardPath}.id", $"duplicate shard id '{shard.Id}' (also {path}.shards[{shardIndex[shard.Id]}])");
            shards.Add(shard);
        }

        int[] assignment = ReadBuckets(dto.Buckets, bucketCount, shardIndex, path);
        var owned = new bool[shards.Count];
        foreach (int shard in assignment)
            owned[shard] = true;
        int idle = Array.IndexOf(owned, false);
        if (idle >= 0)
            throw Fail($"{path}.shards[{idle}]", $"shard '{shards[idle].Id}' owns no buckets");

        var table = BucketTable.FromAssignment([.. shards.Select(s => s.Id)], assignment);
        return new RingPool(dto.Name, prefixes, table, shards);
    }

    private void ClaimPrefix(string? prefix, string pool, string path)
    {
        if (string.IsNullOrEmpty(prefix))
            throw Fail(path, "prefix is empty (keys that match no prefix go to the default pool)");
        if (prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw Fail(path, $"prefix '{prefix}' contains a space or control character, which no key can");
        if (Encoding.UTF8.GetByteCount(prefix) > MaxKeyBytes)
            throw Fail(path, $"prefix is longer than a key may be ({MaxKeyBytes} bytes)");
        if (_prefixes.TryGetValue(prefix, out string? first))
            throw Fail(path, $"prefix '{prefix}' is already used at {first}");
        _prefixes.Add(prefix, $"{path} (pool '{pool}')");
    }

    private ShardEndpoints ReadShard(ShardDto dto, string path)
    {
        if (string.IsNullOrEmpty(dto.Id))
            throw Fail($"{path}.id", "is required");
        if (!IsDnsLabel(dto.Id))
            throw Fail($"{path}.id", $"'{dto.Id}' is not a valid shard id (lowercase letters, digits, '-', at most 63)");
        if (dto.Primary is null)
            throw Fail($"{path}.primary", "is required");
        var primary = ReadAddress(dto.Primary, $"{path}.primary");
        var replicas = ReadAddresses(dto.Replicas ?? [], $"{path}.replicas");
        return new ShardEndpoints(dto.Id, primary, replicas);
    }

    private static int[] ReadBuckets(List<string>? runs, int bucketCount, Dictionary<string, int> shardIndex, string poolPath)
    {
        string path = $"{poolPath}.buckets";
        if (runs is null)
            throw Fail(path, "is required");

        var assignment = new int[bucketCount];
        var coveredBy = new int[bucketCount];
        Array.Fill(coveredBy, -1);
        for (int k = 0; k < runs.Count; k++)
        {
            string runPath = $"{path}[{k}]";
            string run = runs[k] ?? throw Fail(runPath, "expected a string");
            if (!TryParseRun(run, out int first, out int last, out string shard))
                throw Fail(runPath, $"'{run}' is not a run (expected \"first-last:shard\" or \"bucket:shard\")");
            if (first > last)
                throw Fail(runPath, $"run '{run}' ends before it starts");
            if (last >= bucketCount)
                throw Fail(runPath, $"bucket {last} is out of range (the pool has buckets 0..{bucketCount - 1})");
            if (!shardIndex.TryGetValue(shard, out int index))
                throw Fail(runPath, $"shard '{shard}' is referenced but not defined in {poolPath}.shards");
            for (int bucket = first; bucket <= last; bucket++)
            {
                if (coveredBy[bucket] >= 0)
                    throw Fail(runPath, $"bucket {bucket} is covered twice (also by {path}[{coveredBy[bucket]}])");
                coveredBy[bucket] = k;
                assignment[bucket] = index;
            }
        }

        int missing = Array.IndexOf(coveredBy, -1);
        if (missing >= 0)
        {
            int end = missing;
            while (end + 1 < bucketCount && coveredBy[end + 1] < 0)
                end++;
            throw Fail(path, end == missing
                ? $"bucket {missing} is not covered"
                : $"buckets {missing}-{end} are not covered");
        }

        return assignment;
    }

    /// <summary>Parses <c>first-last:shard</c> or <c>bucket:shard</c>: plain decimal digits, no signs or spaces.</summary>
    private static bool TryParseRun(string run, out int first, out int last, out string shard)
    {
        first = last = 0;
        shard = "";
        int colon = run.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == run.Length - 1)
            return false;
        shard = run[(colon + 1)..];
        string range = run[..colon];
        int dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
            return TryParseBucket(range, out first) && TryParseBucket(range, out last);
        return TryParseBucket(range[..dash], out first) && TryParseBucket(range[(dash + 1)..], out last);
    }

    private static bool TryParseBucket(string text, out int bucket)
    {
        bucket = 0;
        return text.Length is > 0 and <= 6
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bucket);
    }

    private List<NodeAddress> ReadAddresses(List<string> texts, string path)
    {
        var addresses = new List<NodeAddress>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
            addresses.Add(ReadAddress(texts[i], $"{path}[{i}]"));
        return addresses;
    }

    private NodeAddress ReadAddress(string? text, string path)
    {
        if (!NodeAddress.TryParse(text, out var address, out string error))
            throw Fail(path, error);
        var key = address with { Host = address.Host.ToLowerInvariant() };
        if (!_addresses.TryAdd(key, path))
            throw Fail(path, $"address {address} is already used at {_addresses[key]}");
        return address;
    }

    private GutterPool ReadGutter(GutterDto dto, string path)
    {
        if (dto.Shards is null)
            throw Fail($"{path}.shards", "is required");
        if (dto.Shards.Count == 0)
            throw Fail($"{path}.shards", "must list at least one node");
        var nodes = ReadAddresses(dto.Shards, $"{path}.shards");
        if (dto.TtlCapSeconds is not int ttl)
            throw Fail($"{path}.ttlCapSeconds", "is required");
        if (ttl <= 0)
            throw Fail($"{path}.ttlCapSeconds", $"must be a positive integer, not {ttl}");
        return new GutterPool(nodes, ttl);
    }

    private static RouterSettings ReadRouter(RouterDto dto, string path)
    {
        var defaults = RouterSettings.Default;
        var reads = dto.ReplicaReadPolicy switch
        {
            null => defaults.ReplicaReads,
            "random" => ReplicaReadPolicy.Random,
            "least-outstanding" => ReplicaReadPolicy.LeastOutstanding,
            _ => throw Fail($"{path}.replicaReadPolicy", $"'{dto.ReplicaReadPolicy}' is not one of random, least-outstanding"),
        };
        var writes = dto.WritePolicy switch
        {
            null => defaults.Writes,
            "all" => WritePolicy.All,
            "first" => WritePolicy.First,
            _ => throw Fail($"{path}.writePolicy", $"'{dto.WritePolicy}' is not one of all, first"),
        };

        var hotKeys = defaults.HotKeys;
        if (dto.HotKeys is { } hk)
        {
            string hkPath = $"{path}.hotKeys";
            hotKeys = new HotKeySettings(
                Positive(hk.ThresholdPerSecond, hotKeys.ThresholdPerSecond, $"{hkPath}.thresholdPerSecond"),
                Positive(hk.Copies, hotKeys.Copies, $"{hkPath}.copies"),
                Positive(hk.CopyTtlSeconds, hotKeys.CopyTtlSeconds, $"{hkPath}.copyTtlSeconds"));
            if (hotKeys.Copies > HotKeyCopies.MaxCopies)
                throw Fail($"{hkPath}.copies", $"must be at most {HotKeyCopies.MaxCopies}, not {hotKeys.Copies}");
        }

        var heartbeat = defaults.Heartbeat;
        if (dto.Heartbeat is { } hb)
        {
            string hbPath = $"{path}.heartbeat";
            heartbeat = new HeartbeatSettings(
                Positive(hb.IntervalMs, heartbeat.IntervalMs, $"{hbPath}.intervalMs"),
                Positive(hb.TimeoutMs, heartbeat.TimeoutMs, $"{hbPath}.timeoutMs"),
                Positive(hb.FailuresBeforeDown, heartbeat.FailuresBeforeDown, $"{hbPath}.failuresBeforeDown"));
        }

        return new RouterSettings(reads, writes, hotKeys, heartbeat);
    }

    private static int Positive(int? value, int fallback, string path) => value switch
    {
        null => fallback,
        > 0 => value.Value,
        _ => throw Fail(path, $"must be a positive integer, not {value}"),
    };

    private static bool IsDnsLabel(string text) =>
        text.Length <= 63
        && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && text[0] != '-' && text[^1] != '-';

    private static RingFormatException Fail(string path, string reason) => new(path, reason);
}
