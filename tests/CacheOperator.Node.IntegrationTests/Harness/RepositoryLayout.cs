using System.Reflection;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Where the repository and the node's build output are, seen from the test assembly.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary>The Configuration this test assembly was built in; the node is started from the same one.</summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string NodeDllPath => Path.Combine(
        RepositoryRoot, "cache-node", "src", "CacheOperator.CacheNode", "bin", Configuration, "net10.0", "cache-node.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CacheOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CacheOperator.sln above {AppContext.BaseDirectory}.");
    }
}
