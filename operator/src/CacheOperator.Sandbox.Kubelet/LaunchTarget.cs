namespace CacheOperator.Sandbox.Kubelet;

/// <summary>What to execute for an image: an apphost, or <c>dotnet</c> with the dll as its first argument.</summary>
public sealed record LaunchTarget(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>An executable path as given; a <c>.dll</c> runs under the <c>dotnet</c> host.</summary>
    public static LaunchTarget FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new LaunchTarget("dotnet", [Path.GetFullPath(path)])
            : new LaunchTarget(Path.GetFullPath(path), []);
    }
}
