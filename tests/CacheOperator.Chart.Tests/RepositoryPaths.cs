namespace CacheOperator.Chart.Tests;

/// <summary>Where the chart and the generated CRDs live, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public const string CrdFileName = "cacheoperator.io_cacheclusters.yaml";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Chart => Path.Combine(Root, "charts", "cache-operator");

    public static string GeneratedCrd => Path.Combine(Root, "crds", CrdFileName);

    public static string ChartCrd => Path.Combine(Chart, "crds", CrdFileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CacheOperator.sln")) && Directory.Exists(Path.Combine(dir.FullName, "charts")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (CacheOperator.sln beside charts/) above {AppContext.BaseDirectory}.");
    }
}
