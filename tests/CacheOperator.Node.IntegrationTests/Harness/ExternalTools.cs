using System.Diagnostics;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// The third-party programs the suites judge our node with. A missing one fails the test with the fix to apply;
/// it never turns into a silent pass.
/// </summary>
public static class ExternalTools
{
    public const string MemcachedPath = "/usr/bin/memcached";

    public const string MemccapablePath = "/usr/bin/memccapable";

    /// <summary>The system Python: the `python3` on PATH is a pyenv build without pymemcache.</summary>
    public const string PythonPath = "/usr/bin/python3";

    private static readonly Lazy<string?> PymemcacheProblem = new(ProbePymemcache);

    public static void RequireMemcached() => RequireFile(MemcachedPath, "Debian's memcached 1.6");

    public static void RequireMemccapable() => RequireFile(MemccapablePath, "memccapable (libmemcached-tools)");

    public static void RequirePymemcache()
    {
        RequireFile(PythonPath, "the system Python 3");
        if (PymemcacheProblem.Value is { } problem)
        {
            throw new InvalidOperationException(
                $"{PythonPath} cannot import pymemcache ({problem}): run `make deps` to install python3-pymemcache.");
        }
    }

    internal static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{what} is missing at {path}: run `make deps` to install the test dependencies.");
        }
    }

    private static string? ProbePymemcache()
    {
        var info = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import pymemcache");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            return "the import timed out";
        }

        return process.ExitCode == 0 ? null : stderr.Result.Trim();
    }
}
