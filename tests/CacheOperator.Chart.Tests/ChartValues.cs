namespace CacheOperator.Chart.Tests;

/// <summary>Value sets the render tests run against, as `--set` arguments.</summary>
internal static class ChartValues
{
    /// <summary>Every shape of the chart worth checking for invariants: defaults and each optional switch.</summary>
    public static TheoryData<string> Variants { get; } = new()
    {
        "",
        "watchNamespace=apps",
        "metrics.serviceMonitor.enabled=true,networkPolicy.enabled=true",
        "leaderElection.enabled=false,replicaCount=1",
        "rbac.create=false,serviceAccount.create=false,serviceAccount.name=existing",
    };

    public static string[] Set(string setValues) => setValues.Length == 0 ? [] : ["--set", setValues];
}
