namespace CacheOperator.Router.Tests.Harness;

/// <summary>Where the built executable is, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CacheOperator.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>cache-node.dll of the same configuration as the tests (Debug or Release).</summary>
    public static string CacheNodeDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(Root, "cache-node", "src", "CacheOperator.CacheNode", "bin", configuration, "net10.0", "cache-node.dll");
        }
    }
}
