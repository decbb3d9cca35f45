using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CacheOperator.Benchmarks;

/// <summary>
/// Few iterations, in this process: the machine is shared, so the timings are only indicative, while the
/// allocation column (what these benchmarks exist to watch) is exact whatever the load. In-process also avoids
/// generating and building a project per benchmark, which under this repository's strict build settings is slow.
/// </summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithId("ShortInProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddExporter(DefaultConfig.Instance.GetExporters().ToArray());
        WithOptions(ConfigOptions.JoinSummary);
        // Reports land with the other raw bench output (git-ignored), not in the working directory.
        WithArtifactsPath(Path.Combine("bench", "results", "raw", "BenchmarkDotNet.Artifacts"));
    }
}
