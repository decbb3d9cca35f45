using System.Text.Json.Nodes;

namespace CacheOperator.Chart.Tests;

/// <summary>Every container the chart renders, in every shape, runs locked down and is probed.</summary>
public sealed class PodSecurityTests(HelmCli helm) : IClassFixture<HelmCli>
{
    public static TheoryData<string> Variants => ChartValues.Variants;

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryContainer_RunsAsNonRootWithReadOnlyRootAndNoCapabilities(string setValues)
    {
        var chart = helm.Render(ChartValues.Set(setValues));
        var containers = chart.Containers().ToList();
        Assert.NotEmpty(containers);

        foreach (var (where, podSpec, container) in containers)
        {
            var pod = podSpec["securityContext"];
            var own = container["securityContext"];
            Assert.True(Effective<bool>(own, pod, "runAsNonRoot"), $"{where}: runAsNonRoot");
            var user = Effective<long>(own, pod, "runAsUser");
            Assert.True(user > 0, $"{where}: runAsUser must be a non-root uid, is {user}");
            Assert.True((bool?)own?["readOnlyRootFilesystem"] == true, $"{where}: readOnlyRootFilesystem");
            Assert.True((bool?)own?["allowPrivilegeEscalation"] == false, $"{where}: allowPrivilegeEscalation");
            Assert.NotEqual(true, (bool?)own?["privileged"]);
            var drop = (own?["capabilities"]?["drop"]?.AsArray() ?? []).Select(n => (string?)n).ToList();
            Assert.True(drop.Contains("ALL"), $"{where}: capabilities.drop must hold ALL");
            Assert.Empty(own?["capabilities"]?["add"]?.AsArray() ?? []);
            var seccomp = (string?)own?["seccompProfile"]?["type"] ?? (string?)pod?["seccompProfile"]?["type"];
            Assert.Equal("RuntimeDefault", seccomp);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryPod_StaysOffTheHostNamespaces(string setValues)
    {
        var chart = helm.Render(ChartValues.Set(setValues));

        foreach (var (owner, spec) in chart.PodSpecs())
        {
            foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
            {
                Assert.True((bool?)spec[field] != true, $"{owner}: {field}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryContainer_HasLivenessOnHealthzAndReadinessOnReadyz_OnAPortItDeclares(string setValues)
    {
        var chart = helm.Render(ChartValues.Set(setValues));

        foreach (var (where, _, container) in chart.Containers())
        {
            AssertHttpProbe(where, container, "livenessProbe", "/healthz");
            AssertHttpProbe(where, container, "readinessProbe", "/readyz");
        }
    }

    private static void AssertHttpProbe(string where, JsonObject container, string probe, string path)
    {
        var get = container[probe]?["httpGet"];
        Assert.True(get is not null, $"{where}: {probe}.httpGet is missing");
        Assert.Equal(path, (string?)get["path"]);
        var port = get["port"]!.ToString();
        var declared = (container["ports"]?.AsArray() ?? [])
            .SelectMany(p => new[] { p?["containerPort"]?.ToString(), (string?)p?["name"] });
        Assert.True(declared.Contains(port), $"{where}: {probe} probes port {port}, which the container does not declare");
    }

    /// <summary>A container's setting wins over the pod's, as the kubelet applies them.</summary>
    private static T? Effective<T>(JsonNode? container, JsonNode? pod, string field) =>
        container?[field] is { } own ? own.GetValue<T>() : pod?[field] is { } inherited ? inherited.GetValue<T>() : default;
}
