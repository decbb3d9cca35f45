namespace CacheOperator.Sandbox;

/// <summary>The files of one sandbox, all under its state folder.</summary>
internal sealed class StatePaths(string root)
{
    public const string DefaultRoot = ".sandbox";

    public string Root { get; } = Path.GetFullPath(root);
    public string PidFile => Path.Combine(Root, "sandbox.pid");
    public string LogFile => Path.Combine(Root, "sandbox.log");
    public string Kubeconfig => Path.Combine(Root, "kubeconfig");
    public string ServerFile => Path.Combine(Root, "server");
    public string Snapshot => Path.Combine(Root, "snapshot.json");
    public string KubeletDirectory => Path.Combine(Root, "kubelet");

    /// <summary>The pid of the running `sandbox serve`, or null when none is alive.</summary>
    public int? LivePid()
    {
        if (!File.Exists(PidFile))
            return null;
        var text = File.ReadAllText(PidFile).Trim();
        if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            return null;
        return Kubelet.LeftoverProcesses.StartTimeOf(pid) is not null && IsSandboxServe(pid) ? pid : null;
    }

    // A pid file outliving a crash may name a recycled pid: only a `sandbox serve` counts.
    private static bool IsSandboxServe(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Contains("serve") && args.Any(a => a.Contains("sandbox", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The API server URL the running sandbox wrote, or null.</summary>
    public Uri? ServerUrl() =>
        File.Exists(ServerFile) && Uri.TryCreate(File.ReadAllText(ServerFile).Trim(), UriKind.Absolute, out var uri) ? uri : null;
}
