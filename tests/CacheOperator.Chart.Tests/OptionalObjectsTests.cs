using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

public sealed class OptionalObjectsTests(HelmCli helm) : IClassFixture<HelmCli>
{
    [Fact]
    public void Defaults_RenderNoServiceMonitorAndNoNetworkPolicy()
    {
        var chart = helm.Render();

        Assert.Empty(chart.OfKind("ServiceMonitor"));
        Assert.Empty(chart.OfKind("NetworkPolicy"));
    }

    [Fact]
    public void ServiceMonitor_WhenEnabled_ScrapesTheMetricsServicesPort()
    {
        var chart = helm.Render("--set", "metrics.serviceMonitor.enabled=true,metrics.serviceMonitor.labels.release=prometheus");

        var monitor = chart.Single("ServiceMonitor");
        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);
        Assert.Equal("prometheus", (string?)monitor["metadata"]?["labels"]?["release"]);
        var service = chart.Single("Service");
        AssertSelects(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), service["metadata"]!["labels"]!.AsObject());
        Assert.Contains(HelmCli.ReleaseNamespace, monitor["spec"]!["namespaceSelector"]!["matchNames"]!.AsArray().Select(n => (string?)n));
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray());
        Assert.Equal((string?)service["spec"]!["ports"]![0]!["name"], (string?)endpoint?["port"]);
        Assert.Equal("/metrics", (string?)endpoint?["path"]);
    }

    [Fact]
    public void NetworkPolicy_WhenEnabled_AdmitsOnlyTheMetricsPortToTheOperatorPods()
    {
        var chart = helm.Render("--set", "networkPolicy.enabled=true");

        var policy = chart.Single("NetworkPolicy");
        var podLabels = chart.Single("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        AssertSelects(policy["spec"]!["podSelector"]!["matchLabels"]!.AsObject(), podLabels);
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(n => (string?)n));
        var rule = Assert.Single(policy["spec"]!["ingress"]!.AsArray());
        var port = Assert.Single(rule!["ports"]!.AsArray());
        Assert.Equal("metrics", port?["port"]?.ToString());
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        Assert.All(selector, s => Assert.Equal((string?)s.Value, (string?)labels[s.Key]));
    }
}
