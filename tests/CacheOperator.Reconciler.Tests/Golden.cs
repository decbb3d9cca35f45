using System.Runtime.CompilerServices;

namespace CacheOperator.Reconciler.Tests;

/// <summary>
/// Compares output with testdata/&lt;name&gt;.json. UPDATE_GOLDENS=1 rewrites the files in the source tree instead
/// (review the diff before committing).
/// </summary>
internal static class Golden
{
    public static void Assert(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string sourcePath = Path.Combine(Path.GetDirectoryName(callerPath)!, "testdata", name + ".json");
        actual = actual.ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDENS") == "1")
        {
            File.WriteAllText(sourcePath, actual);
            return;
        }

        string path = File.Exists(sourcePath) ? sourcePath : Path.Combine(AppContext.BaseDirectory, "testdata", name + ".json");
        Xunit.Assert.True(File.Exists(path), $"golden file {name}.json is missing; run the tests with UPDATE_GOLDENS=1");
        Xunit.Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
