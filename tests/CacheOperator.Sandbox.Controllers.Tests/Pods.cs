namespace CacheOperator.Sandbox.Controllers.Tests;

/// <summary>Short ways to write pod snapshots for the decision functions.</summary>
internal static class Pods
{
    public static PodFacts Ready(string name, string revision = "r1") =>
        new(name, revision) { Ready = true, Scheduled = true };

    public static PodFacts Starting(string name, string revision = "r1") =>
        new(name, revision) { Scheduled = true };

    public static PodFacts Terminating(string name, string revision = "r1") =>
        new(name, revision) { Ready = true, Scheduled = true, Terminating = true };

    public static PodFacts Failed(string name, string revision = "r1") =>
        new(name, revision) { Finished = true, Scheduled = true };

    /// <summary>web-0 .. web-(count-1), all Ready at the revision.</summary>
    public static List<PodFacts> ReadySet(string set, int count, string revision = "r1") =>
        Enumerable.Range(0, count).Select(i => Ready($"{set}-{i}", revision)).ToList();
}
