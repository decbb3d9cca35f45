namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Maps a container image to a host executable by the image repository's last path segment
/// (<c>ghcr.io/cacheoperator/cache-node:0.1.0</c> → <c>cache-node</c>): the sandbox runs processes, not images.
/// </summary>
public sealed class ImageResolver
{
    private readonly Dictionary<string, LaunchTarget> _targets;

    public ImageResolver(IReadOnlyDictionary<string, LaunchTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = new Dictionary<string, LaunchTarget>(targets, StringComparer.Ordinal);
    }

    /// <summary>Short names the sandbox can run, sorted (for messages).</summary>
    public IReadOnlyList<string> Known => [.. _targets.Keys.Order(StringComparer.Ordinal)];

    public bool TryResolve(string? image, out LaunchTarget target)
    {
        target = null!;
        var name = ShortName(image);
        return name.Length > 0 && _targets.TryGetValue(name, out target!);
    }

    public string UnknownImageMessage(string? image) =>
        $"image {image} is not one the sandbox can run (known: {string.Join(", ", Known)})";

    /// <summary>The repository's last path segment, without tag or digest.</summary>
    public static string ShortName(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
            return "";
        var name = image.Trim();
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            name = name[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash)
            name = name[..colon];
        return name[(name.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// The built executables of this repository (newest of Release and Debug), for images <c>cache-node</c> and
    /// <c>operator</c>, overridden or extended by <paramref name="overrides"/> (short name → path).
    /// </summary>
    public static ImageResolver FromRepository(string? repositoryRoot, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var targets = new Dictionary<string, LaunchTarget>(StringComparer.Ordinal);
        if (repositoryRoot is not null)
        {
            AddBuilt(targets, "cache-node", Path.Combine(repositoryRoot, "cache-node", "src", "CacheOperator.CacheNode"), "cache-node");
            AddBuilt(targets, "operator", Path.Combine(repositoryRoot, "operator", "src", "CacheOperator.Operator"), "cache-operator");
        }

        foreach (var (name, path) in overrides ?? new Dictionary<string, string>())
            targets[name] = LaunchTarget.FromPath(path);
        return new ImageResolver(targets);
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds CacheOperator.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CacheOperator.sln")))
                return dir.FullName;
        }

        return null;
    }

    private static void AddBuilt(Dictionary<string, LaunchTarget> targets, string image, string projectDir, string assembly)
    {
        string? best = null;
        var bestTime = DateTime.MinValue;
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var dir = Path.Combine(projectDir, "bin", configuration, "net10.0");
            foreach (var candidate in new[] { Path.Combine(dir, assembly), Path.Combine(dir, assembly + ".dll") })
            {
                if (!File.Exists(candidate))
                    continue;
                var time = File.GetLastWriteTimeUtc(Path.Combine(dir, assembly + ".dll"));
                if (best is null || time > bestTime)
                {
                    best = candidate;
                    bestTime = time;
                }

                break;
            }
        }

        if (best is not null)
            targets[image] = LaunchTarget.FromPath(best);
    }
}
