using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CacheOperator.Api.Schema;
using CacheOperator.Api.V1Alpha1;
using CacheOperator.Api.Validation;
using CacheOperator.CrdGen;
using CacheOperator.Kubernetes;

namespace CacheOperator.Api.Tests.Cel;

/// <summary>
/// The CEL rules as a real API server would run them (a CEL implementation we did not write), against every spec
/// of the validator's tables: each rule must parse, run without error, and agree with its C# twin.
/// </summary>
public sealed class CelRulesInARealEvaluatorTests
{
    [CelEvaluatorFact]
    public void EveryRule_AgreesWithItsCSharpTwin_OnEverySpecOfTheTables()
    {
        var sites = Clusters().SelectMany(c => RuleSites(c.Cluster, "").Select(site => (c.Because, site))).ToList();
        Assert.NotEmpty(sites);

        var verdicts = CelEvaluator.Evaluate([.. sites.Select(s => (s.site.Rule, s.site.Self))]);

        var disagreements = sites.Zip(verdicts)
            .Where(pair => pair.Second is not JsonValue value || value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
                           || value.GetValue<bool>() != pair.First.site.Twin)
            .Select(pair => $"{pair.First.Because} at {pair.First.site.Path}: CEL said {pair.Second?.ToJsonString()}, C# said {pair.First.site.Twin}: {pair.First.site.Rule}")
            .ToList();
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [CelEvaluatorFact]
    public void EveryRule_FailsOnSomeSpec_AndPassesOnAnother()
    {
        // A rule that can never fail (or never pass) on the tables would be tested by nothing above.
        var sites = Clusters().SelectMany(c => RuleSites(c.Cluster, "")).ToList();
        var rules = CrdRules();

        Assert.All(rules, rule =>
        {
            Assert.Contains(sites, s => s.Rule == rule && s.Twin);
            Assert.Contains(sites, s => s.Rule == rule && !s.Twin);
        });
    }

    [CelEvaluatorFact]
    public void Evaluator_ReportsAWrongRuleAsAnError_SoTheCheckAboveCanFail()
    {
        var verdicts = CelEvaluator.Evaluate([("self.missing.field == 1", new JsonObject()), ("size(self) > 'a'", JsonValue.Create("64Mi"))]);

        Assert.All(verdicts, v => Assert.StartsWith("error:", (string?)v, StringComparison.Ordinal));
    }

    private static IEnumerable<(string Because, CacheCluster Cluster)> Clusters()
    {
        foreach (var row in CacheClusterValidatorTests.InvalidCases.Concat(CacheClusterValidatorTests.ValidCases))
        {
            var cluster = new CacheCluster { Metadata = { Name = "demo" } };
            ((Action<CacheClusterSpec>)row[1])(cluster.Spec);
            yield return ((string)row[0], cluster);
        }

        foreach (var row in CacheClusterValidatorTests.Names)
            yield return ($"the name {row[0]}", new CacheCluster { Metadata = { Name = (string)row[0] } });
    }

    private static List<string> CrdRules()
    {
        var root = CrdGenerator.Generate(typeof(CacheCluster));
        return [.. root.ToJsonString().Split("\"rule\":\"").Skip(1)
            .Select(part => JsonNode.Parse("\"" + part[..part.IndexOf("\"}", StringComparison.Ordinal)] + "\"")!.GetValue<string>())
            .Distinct()];
    }

    /// <summary>Every place a CEL rule sits in <paramref name="value"/>'s tree, with its self and the twin's verdict.</summary>
    private static IEnumerable<(string Path, string Rule, JsonNode? Self, bool Twin)> RuleSites(object value, string path)
    {
        foreach (var rule in value.GetType().GetCustomAttributes<CelRuleAttribute>())
            yield return Site(path, rule.Rule, value);

        foreach (var property in value.GetType().GetProperties())
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            var child = property.GetValue(value);
            if (name is null || child is null || property.IsDefined(typeof(PreserveUnknownFieldsAttribute)))
                continue;
            foreach (var rule in property.GetCustomAttributes<CelRuleAttribute>())
                yield return Site($"{path}.{name}", rule.Rule, child);
            if (child is IList list)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item and not string)
                    {
                        foreach (var site in RuleSites(item, $"{path}.{name}[{i}]"))
                            yield return site;
                    }
                }
            }
            else if (child.GetType().IsClass && child is not string && child is not IDictionary)
            {
                foreach (var site in RuleSites(child, $"{path}.{name}"))
                    yield return site;
            }
        }
    }

    private static (string, string, JsonNode?, bool) Site(string path, string rule, object self) =>
        (path, rule, JsonSerializer.SerializeToNode(self, self.GetType(), KubernetesJson.Options), CacheClusterValidator.EvaluateTwin(rule, self));
}
