using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CacheOperator.Api.Schema;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.CrdGen;

namespace CacheOperator.Api.Tests;

public sealed partial class CrdSchemaTests
{
    private static readonly JsonObject Crd = CrdGenerator.Generate(typeof(CacheCluster));
    private static readonly JsonObject Version = (JsonObject)Crd["spec"]!["versions"]![0]!;
    private static readonly JsonObject Root = (JsonObject)Version["schema"]!["openAPIV3Schema"]!;

    [Fact]
    public void Yaml_ReadsBackAsTheGeneratedTree()
    {
        var yaml = CrdGenerator.GenerateYaml(typeof(CacheCluster));

        var read = YamlJson.Read(yaml);

        Assert.True(JsonNode.DeepEquals(Crd, read), "the YAML writer changed the document");
    }

    [Fact]
    public void Names_AndScope_AreTheSharedContract()
    {
        var spec = Crd["spec"]!;
        Assert.Equal("cacheclusters.cacheoperator.io", (string?)Crd["metadata"]!["name"]);
        Assert.Equal("cacheoperator.io", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal("CacheCluster", (string?)spec["names"]!["kind"]);
        Assert.Equal("CacheClusterList", (string?)spec["names"]!["listKind"]);
        Assert.Equal("cacheclusters", (string?)spec["names"]!["plural"]);
        Assert.Equal("cachecluster", (string?)spec["names"]!["singular"]);
        Assert.Equal(["cc"], spec["names"]!["shortNames"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["cache"], spec["names"]!["categories"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("v1alpha1", (string?)Version["name"]);
        Assert.True((bool)Version["served"]!);
        Assert.True((bool)Version["storage"]!);
    }

    [Fact]
    public void EveryNode_HasAType()
    {
        var untyped = AllNodes(Root, "").Where(n => n.Node["type"] is null && n.Node["x-kubernetes-int-or-string"] is null)
            .Select(n => n.Path).ToList();

        Assert.Empty(untyped);
    }

    [Fact]
    public void OnlyPassThroughFields_PreserveUnknownFields()
    {
        var preserving = AllNodes(Root, "").Where(n => n.Node["x-kubernetes-preserve-unknown-fields"] is not null)
            .Select(n => n.Path).Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            ".spec.scheduling.affinity",
            ".spec.scheduling.tolerations[]",
            ".spec.scheduling.topologySpreadConstraints[]",
        ], preserving);
    }

    [Theory]
    [InlineData(".spec.shards", "3")]
    [InlineData(".spec.replicasPerShard", "1")]
    [InlineData(".spec.standbys", "0")]
    [InlineData(".spec.memory", "\"256Mi\"")]
    [InlineData(".spec.maxItemSize", "\"1Mi\"")]
    [InlineData(".spec.pools[].shards", "1")]
    [InlineData(".spec.pools[].replicasPerShard", "1")]
    [InlineData(".spec.gutter", "{}")]
    [InlineData(".spec.gutter.shards", "0")]
    [InlineData(".spec.gutter.ttlSeconds", "10")]
    [InlineData(".spec.router", "{}")]
    [InlineData(".spec.router.replicas", "2")]
    [InlineData(".spec.router.readStrategy", "\"random\"")]
    [InlineData(".spec.router.writeAck", "\"all\"")]
    [InlineData(".spec.router.pollMicroseconds", "0")]
    [InlineData(".spec.hotKeys.enabled", "true")]
    [InlineData(".spec.hotKeys.copies", "3")]
    [InlineData(".spec.warmUp.timeoutSeconds", "600")]
    [InlineData(".spec.failover.enabled", "true")]
    [InlineData(".spec.failover.notReadyThresholdSeconds", "30")]
    [InlineData(".spec.scheduling.podAntiAffinity", "\"preferred\"")]
    [InlineData(".spec.security.tls.enabled", "false")]
    [InlineData(".spec.security.networkPolicy.enabled", "true")]
    public void Field_HasItsDefault(string path, string expectedJson)
    {
        var node = Field(path);

        Assert.NotNull(node["default"]);
        Assert.Equal(expectedJson, node["default"]!.ToJsonString());
    }

    [Fact]
    public void ObjectsDefaultedToEmpty_HaveNoRequiredFields()
    {
        // A default of {} must itself be valid, or the API server refuses the CRD.
        var broken = AllNodes(Root, "")
            .Where(n => n.Node["default"] is JsonObject && n.Node["required"] is not null)
            .Select(n => n.Path).ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void EveryOptionalSubObjectOfSpec_IsDefaulted_SoItsDefaultsApply()
    {
        var spec = (JsonObject)Field(".spec")["properties"]!;
        string[] mayBeAbsent = ["resources"];

        var notDefaulted = spec.Where(p => (string?)p.Value!["type"] == "object" && p.Value!["default"] is null
                                           && !mayBeAbsent.Contains(p.Key))
            .Select(p => p.Key).ToList();

        Assert.Empty(notDefaulted);
    }

    [Fact]
    public void CSharpInitialValues_EqualTheSchemaDefaults()
    {
        var mismatches = new List<string>();
        CompareDefaults(typeof(CacheClusterSpec), "spec", mismatches);

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(".spec.shards", 1, 1024)]
    [InlineData(".spec.replicasPerShard", 1, 5)]
    [InlineData(".spec.pools[].replicasPerShard", 1, 5)]
    [InlineData(".spec.gutter.ttlSeconds", 1, 3600)]
    [InlineData(".spec.hotKeys.copies", 2, 16)]
    [InlineData(".spec.router.pollMicroseconds", 0, 1000)]
    public void Field_HasItsBounds(string path, long minimum, long maximum)
    {
        var node = Field(path);

        Assert.Equal(minimum, (long)node["minimum"]!);
        Assert.Equal(maximum, (long)node["maximum"]!);
    }

    [Theory]
    [InlineData(".spec.router.readStrategy", "random,leastOutstanding")]
    [InlineData(".spec.router.writeAck", "all,first")]
    [InlineData(".spec.scheduling.podAntiAffinity", "preferred,required,none")]
    [InlineData(".status.phase", "Pending,Creating,Running,Degraded,Scaling,Failed")]
    [InlineData(".status.members[].role", "primary,replica,standby")]
    public void Field_HasItsEnumeration(string path, string values)
    {
        var node = Field(path);

        Assert.Equal(values.Split(','), node["enum"]!.AsArray().Select(v => (string?)v));
    }

    [Theory]
    [InlineData("", CelRules.NameLengthMessage)]
    [InlineData(".spec", CelRules.MaxItemSizeFitsMemoryMessage)]
    [InlineData(".spec", CelRules.MaxItemSizeFitsPoolMemoryMessage)]
    [InlineData(".spec.memory", CelRules.MemoryRangeMessage)]
    [InlineData(".spec.maxItemSize", CelRules.MaxItemSizeRangeMessage)]
    [InlineData(".spec.pools", CelRules.PrefixesDisjointMessage)]
    [InlineData(".spec.pools[]", CelRules.PoolNameNotDefaultMessage)]
    [InlineData(".spec.pools[].memory", CelRules.MemoryRangeMessage)]
    [InlineData(".spec.security.tls", CelRules.TlsSecretRequiredMessage)]
    public void Field_CarriesItsCelRule(string path, string message)
    {
        var rules = Field(path)["x-kubernetes-validations"]?.AsArray() ?? [];

        Assert.Contains(rules, r => (string?)r!["message"] == message && !string.IsNullOrWhiteSpace((string?)r["rule"]));
    }

    [Theory]
    [InlineData(".spec.pools", "map", "name")]
    [InlineData(".status.conditions", "map", "type")]
    [InlineData(".status.members", "map", "name")]
    [InlineData(".spec.pools[].prefixes", "set", "")]
    public void List_HasItsListType(string path, string listType, string mapKey)
    {
        var node = Field(path);

        Assert.Equal(listType, (string?)node["x-kubernetes-list-type"]);
        if (listType == "map")
        {
            Assert.Equal([mapKey], node["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string?)k));
            Assert.Contains(mapKey, node["items"]!["required"]!.AsArray().Select(k => (string?)k));
        }
    }

    [Fact]
    public void ListsWalkedByCelRules_AreBounded_SoTheServerCanEstimateTheirCost()
    {
        Assert.NotNull(Field(".spec.pools")["maxItems"]);
        Assert.NotNull(Field(".spec.pools[].prefixes")["maxItems"]);
        Assert.NotNull(Field(".spec.pools[].prefixes[]")["maxLength"]);
    }

    [Fact]
    public void Subresources_AreStatusAndScale_OnShards()
    {
        var subresources = Version["subresources"]!;

        Assert.Equal("{}", subresources["status"]!.ToJsonString());
        var scale = subresources["scale"]!;
        Assert.Equal(".spec.shards", (string?)scale["specReplicasPath"]);
        Assert.Equal(".status.shards", (string?)scale["statusReplicasPath"]);
        Assert.Equal(".status.selector", (string?)scale["labelSelectorPath"]);
        Assert.Equal("integer", (string?)Field(".spec.shards")["type"]);
        Assert.Equal("integer", (string?)Field(".status.shards")["type"]);
        Assert.Equal("string", (string?)Field(".status.selector")["type"]);
    }

    [Fact]
    public void PrinterColumns_AreShardsReadyRingPhaseAge_AndPointAtRealFields()
    {
        var columns = Version["additionalPrinterColumns"]!.AsArray();

        Assert.Equal(["Shards", "Ready", "Ring", "Phase", "Age"], columns.Select(c => (string?)c!["name"]));
        foreach (var column in columns)
        {
            var path = (string)column!["jsonPath"]!;
            if (path == ".metadata.creationTimestamp")
            {
                Assert.Equal("date", (string?)column["type"]);
                continue;
            }

            var field = Field(path);
            var expected = (string?)field["type"] == "integer" ? "integer" : "string";
            Assert.Equal(expected, (string?)column["type"]);
        }
    }

    [Fact]
    public void CelRules_UseOnlyStandardFunctions_BalancedSyntax_AndFieldsThatExist()
    {
        string[] known = ["has", "size", "all", "exists", "isQuantity", "quantity", "compareTo", "asApproximateFloat"];
        foreach (var (node, path) in AllNodes(Root, ""))
        {
            foreach (var validation in node["x-kubernetes-validations"]?.AsArray() ?? [])
            {
                var rule = (string)validation!["rule"]!;
                var withoutStrings = QuotedString().Replace(rule, "''");
                Assert.True(Balanced(withoutStrings), $"{path}: unbalanced rule {rule}");
                Assert.Equal(0, withoutStrings.Count(c => c == '"'));

                var calls = FunctionCall().Matches(withoutStrings).Select(m => m.Groups[1].Value).Distinct();
                Assert.All(calls, call => Assert.Contains(call, known));

                var fieldsHere = AllNodes(node, path).SelectMany(n => (n.Node["properties"] as JsonObject)?.Select(p => p.Key) ?? [])
                    .ToHashSet(StringComparer.Ordinal);
                var accessed = FieldAccess().Matches(withoutStrings).Select(m => m.Groups[1].Value).Distinct();
                Assert.All(accessed, field => Assert.True(fieldsHere.Contains(field), $"{path}: the rule reads '{field}', not a field here: {rule}"));
            }
        }
    }

    [Fact]
    public void EveryCelRuleInTheTypes_HasACSharpTwin()
    {
        var rules = typeof(CacheCluster).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<CelRuleAttribute>()
                .Concat(t.GetProperties().SelectMany(p => p.GetCustomAttributes<CelRuleAttribute>())))
            .Select(r => r.Rule).Distinct().ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.True(Validation.CacheClusterValidator.HasTwin(rule), rule));
    }

    /// <summary>A schema node by a path like ".spec.pools[].name".</summary>
    internal static JsonObject Field(string path)
    {
        JsonNode node = Root;
        foreach (Match part in PathPart().Matches(path))
        {
            node = part.Value == "[]"
                ? node["items"] ?? throw new KeyNotFoundException($"{path}: no items at {part.Index}")
                : node["properties"]?[part.Value.TrimStart('.')] ?? throw new KeyNotFoundException($"{path}: no field {part.Value}");
        }

        return (JsonObject)node;
    }

    private static IEnumerable<(JsonObject Node, string Path)> AllNodes(JsonObject node, string path)
    {
        yield return (node, path);
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                foreach (var inner in AllNodes((JsonObject)child!, $"{path}.{name}"))
                    yield return inner;
            }
        }

        if (node["items"] is JsonObject items)
        {
            foreach (var inner in AllNodes(items, path + "[]"))
                yield return inner;
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            foreach (var inner in AllNodes(values, path + "{}"))
                yield return inner;
        }
    }

    private static void CompareDefaults(Type type, string path, List<string> mismatches)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties())
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null)
                continue;
            var value = property.GetValue(instance);
            if (property.GetCustomAttribute<DefaultAttribute>() is { } expected
                && !Equals(Convert.ChangeType(expected.Value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture), value))
                mismatches.Add($"{path}.{name}: C# starts at {value ?? "null"}, the schema defaults to {expected.Value}");
            if (property.IsDefined(typeof(DefaultObjectAttribute)))
            {
                if (value is null)
                    mismatches.Add($"{path}.{name}: C# starts at null, the schema defaults to {{}}");
                else
                    CompareDefaults(property.PropertyType, $"{path}.{name}", mismatches);
            }

            if (property.GetCustomAttribute<DefaultAttribute>() is null && !property.IsDefined(typeof(DefaultObjectAttribute))
                && value is not null and not System.Collections.IEnumerable and not false and not 0 and not 0L)
                mismatches.Add($"{path}.{name}: C# starts at {value} but the schema has no default");
        }

        // Items of lists (pools) take their defaults when they are written; compare their types too.
        foreach (var property in type.GetProperties().Where(p => p.PropertyType.IsGenericType
                     && p.PropertyType.GetGenericArguments()[0].Namespace == typeof(PoolSpec).Namespace))
            CompareDefaults(property.PropertyType.GetGenericArguments()[0], $"{path}.{property.Name}[]", mismatches);
    }

    private static bool Balanced(string text)
    {
        int depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
                return false;
        }

        return depth == 0 && text.Count(c => c == '\'') % 2 == 0;
    }

    [GeneratedRegex(@"\.[A-Za-z]+|\[\]")]
    private static partial Regex PathPart();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*\(")]
    private static partial Regex FunctionCall();

    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()")]
    private static partial Regex FieldAccess();
}
