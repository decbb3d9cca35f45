using System.Reflection;
using CacheOperator.Api.Schema;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Api.Validation;

namespace CacheOperator.Api.Tests;

public sealed class CacheClusterValidatorTests
{
    /// <summary>Invalid specs: a change to a valid spec, and the path and message the CRD would report.</summary>
    public static TheoryData<string, Action<CacheClusterSpec>, string, string> InvalidCases => new()
    {
        { "no shards", s => s.Shards = 0, "spec.shards", "should be greater than or equal to 1" },
        { "six copies", s => s.ReplicasPerShard = 6, "spec.replicasPerShard", "should be less than or equal to 5" },
        { "negative standbys", s => s.Standbys = -1, "spec.standbys", "should be greater than or equal to 0" },
        { "memory below 64Mi", s => s.Memory = "32Mi", "spec.memory", CelRules.MemoryRangeMessage },
        { "memory above 256Gi", s => s.Memory = "257Gi", "spec.memory", CelRules.MemoryRangeMessage },
        { "memory not a quantity", s => s.Memory = "lots", "spec.memory", CelRules.MemoryRangeMessage },
        { "item size below 1Ki", s => s.MaxItemSize = "512", "spec.maxItemSize", CelRules.MaxItemSizeRangeMessage },
        { "item size above 128Mi", s => { s.Memory = "4Gi"; s.MaxItemSize = "256Mi"; }, "spec.maxItemSize", CelRules.MaxItemSizeRangeMessage },
        { "item size over an eighth of memory", s => { s.Memory = "64Mi"; s.MaxItemSize = "9Mi"; }, "spec", CelRules.MaxItemSizeFitsMemoryMessage },
        {
            "item size over an eighth of a pool's memory",
            s => { s.MaxItemSize = "16Mi"; s.Pools = [Pool("small", ["s:"], memory: "64Mi")]; },
            "spec", CelRules.MaxItemSizeFitsPoolMemoryMessage
        },
        { "pool memory below 64Mi", s => s.Pools = [Pool("small", ["s:"], memory: "1Mi")], "spec.pools[0].memory", CelRules.MemoryRangeMessage },
        {
            "a prefix in two pools",
            s => s.Pools = [Pool("a", ["user:", "cart:"]), Pool("b", ["cart:"])],
            "spec.pools", CelRules.PrefixesDisjointMessage
        },
        { "a pool named default", s => s.Pools = [Pool("default", ["x:"])], "spec.pools[0]", CelRules.PoolNameNotDefaultMessage },
        { "two pools of one name", s => s.Pools = [Pool("a", ["x:"]), Pool("a", ["y:"])], "spec.pools[1]", "Duplicate value: {\"name\":\"a\"}" },
        { "a prefix twice in a pool", s => s.Pools = [Pool("a", ["x:", "x:"])], "spec.pools[0].prefixes[1]", "Duplicate value: \"x:\"" },
        { "a pool without prefixes", s => s.Pools = [Pool("a", [])], "spec.pools[0].prefixes", "should have at least 1 items" },
        { "a prefix with a space", s => s.Pools = [Pool("a", ["user :"])], "spec.pools[0].prefixes[0]", "should match '^[!-~]+$'" },
        { "a pool name that is not a DNS label", s => s.Pools = [Pool("Hot_Keys", ["h:"])], "spec.pools[0].name", "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'" },
        {
            "nine pools",
            s => s.Pools = [.. Enumerable.Range(0, 9).Select(i => Pool($"p{i}", [$"p{i}:"]))],
            "spec.pools", "must have at most 8 items"
        },
        { "tls without a secret", s => s.Security.Tls.Enabled = true, "spec.security.tls", CelRules.TlsSecretRequiredMessage },
        { "an unknown read strategy", s => s.Router.ReadStrategy = "fastest", "spec.router.readStrategy", "Unsupported value: \"fastest\": supported values: \"random\", \"leastOutstanding\"" },
        { "a negative router poll time", s => s.Router.PollMicroseconds = -1, "spec.router.pollMicroseconds", "should be greater than or equal to 0" },
        { "a router poll time over a millisecond", s => s.Router.PollMicroseconds = 1001, "spec.router.pollMicroseconds", "should be less than or equal to 1000" },
        { "an unknown anti-affinity", s => s.Scheduling.PodAntiAffinity = "always", "spec.scheduling.podAntiAffinity", "Unsupported value: \"always\": supported values: \"preferred\", \"required\", \"none\"" },
        { "one hot-key copy", s => s.HotKeys.Copies = 1, "spec.hotKeys.copies", "should be greater than or equal to 2" },
        { "a gutter TTL of zero", s => s.Gutter.TtlSeconds = 0, "spec.gutter.ttlSeconds", "should be greater than or equal to 1" },
        { "a CPU request that is no quantity", s => s.Resources = new() { Requests = new Dictionary<string, string> { ["cpu"] = "fast" } }, "spec.resources.requests[cpu]", $"should match '{QuantityPatterns.Kubernetes}'" },
    };

    public static TheoryData<string, Action<CacheClusterSpec>> ValidCases => new()
    {
        { "all defaults", _ => { } },
        { "the smallest memory", s => s.Memory = "64Mi" },
        { "the largest memory", s => s.Memory = "256Gi" },
        { "memory in decimal units", s => s.Memory = "1G" },
        { "an item size of exactly an eighth", s => { s.Memory = "64Mi"; s.MaxItemSize = "8Mi"; } },
        { "the largest item size", s => { s.Memory = "1Gi"; s.MaxItemSize = "128Mi"; } },
        { "disjoint pools", s => s.Pools = [Pool("a", ["user:"]), Pool("b", ["user:x", "cart:"], memory: "128Mi")] },
        { "tls with a secret", s => { s.Security.Tls.Enabled = true; s.Security.Tls.SecretName = "cache-tls"; } },
        { "no routers", s => s.Router.Replicas = 0 },
        { "the longest router poll time", s => s.Router.PollMicroseconds = 1000 },
        { "numeric resources", s => s.Resources = new() { Limits = new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "1.5Gi" } } },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_RefusesWithTheSchemasMessage(string because, Action<CacheClusterSpec> change, string path, string message)
    {
        var spec = new CacheClusterSpec();
        change(spec);

        var errors = CacheClusterValidator.Validate(spec);

        Assert.True(errors.Contains(new ValidationError(path, message)),
            $"{because}: expected '{path}: {message}', got [{string.Join("; ", errors)}]");
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Validate_AcceptsValidSpecs(string because, Action<CacheClusterSpec> change)
    {
        var spec = new CacheClusterSpec();
        change(spec);

        var errors = CacheClusterValidator.Validate(spec);

        Assert.True(errors.Count == 0, $"{because}: [{string.Join("; ", errors)}]");
    }

    /// <summary>Cluster names and whether they are valid.</summary>
    public static TheoryData<string, bool> Names => new()
    {
        { "demo", true },
        { new string('a', 31), true },
        { new string('a', 32), false },
        { "a-name-that-is-far-too-long-for-a-cluster", false },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ValidateCluster_BoundsTheNameLength(string name, bool valid)
    {
        var cluster = new CacheCluster { Metadata = { Name = name } };

        var errors = CacheClusterValidator.Validate(cluster);

        Assert.Equal(valid ? [] : [new ValidationError("metadata.name", CelRules.NameLengthMessage)], errors);
    }

    [Fact]
    public void ValidateCluster_AlsoValidatesTheSpec()
    {
        var cluster = new CacheCluster { Metadata = { Name = "demo" }, Spec = { Shards = 0 } };

        var errors = CacheClusterValidator.Validate(cluster);

        Assert.Equal([new ValidationError("spec.shards", "should be greater than or equal to 1")], errors);
    }

    [Fact]
    public void EveryCelRuleMessage_IsExercisedByAnInvalidCase()
    {
        var tested = InvalidCases.Select(row => (string)row[3]).ToHashSet(StringComparer.Ordinal);
        if (Names.Any(row => !(bool)row[1]))
            tested.Add(CelRules.NameLengthMessage);
        var messages = typeof(CacheCluster).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<CelRuleAttribute>()
                .Concat(t.GetProperties().SelectMany(p => p.GetCustomAttributes<CelRuleAttribute>())))
            .Select(r => r.Message).Distinct();

        Assert.All(messages, message => Assert.Contains(message, tested));
    }

    [Fact]
    public void Validate_ReportsEveryProblem_NotJustTheFirst()
    {
        var spec = new CacheClusterSpec { Shards = 0, Memory = "1Mi" };
        spec.Router.WriteAck = "some";

        var paths = CacheClusterValidator.Validate(spec).Select(e => e.Path).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["spec", "spec.memory", "spec.router.writeAck", "spec.shards"], paths);
    }

    private static PoolSpec Pool(string name, IList<string> prefixes, string? memory = null) =>
        new() { Name = name, Prefixes = prefixes, Memory = memory };
}
