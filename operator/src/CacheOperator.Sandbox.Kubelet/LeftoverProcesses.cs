using System.Globalization;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// A record of every container process on disk (<c>&lt;pod dir&gt;/pids/&lt;container&gt;.pid</c>: pid and start
/// time), so that processes a dead kubelet left behind can be found and killed later (by the next kubelet, by
/// <c>sandbox down</c>). The start time guards against a recycled pid.
/// </summary>
public static class LeftoverProcesses
{
    public static void Record(string podDirectory, string container, int pid)
    {
        var dir = Path.Combine(podDirectory, "pids");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, container + ".pid"),
            $"{pid} {StartTimeOf(pid)?.ToString(CultureInfo.InvariantCulture) ?? "0"}\n");
    }

    public static void Forget(string podDirectory, string container)
    {
        var path = Path.Combine(podDirectory, "pids", container + ".pid");
        if (File.Exists(path))
            File.Delete(path);
    }

    /// <summary>Kills (with their process groups) the recorded processes still alive under <paramref name="stateDirectory"/>; returns their pids.</summary>
    public static IReadOnlyList<int> KillAll(string stateDirectory)
    {
        var killed = new List<int>();
        var pods = Path.Combine(stateDirectory, "pods");
        if (!Directory.Exists(pods))
            return killed;
        foreach (var file in Directory.EnumerateFiles(pods, "*.pid", SearchOption.AllDirectories))
        {
            var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var started)
                && StartTimeOf(pid) == started)
            {
                Signals.SendToGroup(pid, Signals.Kill);
                Signals.SendToProcess(pid, Signals.Kill);
                killed.Add(pid);
            }

            File.Delete(file);
        }

        return killed;
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat (clock ticks since boot); null when there is no such live process.</summary>
    public static long? StartTimeOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z")
                return null;
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
