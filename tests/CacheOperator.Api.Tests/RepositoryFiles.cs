namespace CacheOperator.Api.Tests;

/// <summary>Finds files of this repository from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CacheOperator.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no CacheOperator.sln above {AppContext.BaseDirectory}");
    }
}
