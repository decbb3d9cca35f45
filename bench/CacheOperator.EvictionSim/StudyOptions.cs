namespace CacheOperator.EvictionSim;

/// <summary>What the hit-ratio study runs.</summary>
internal sealed record StudyOptions
{
    public int Keys { get; init; } = 1_000_000;
    public int Requests { get; init; } = 10_000_000;
    public IReadOnlyList<double> Skews { get; init; } = [0.8, 1.0, 1.2];
    public IReadOnlyList<double> SizePercents { get; init; } = [1, 5, 10];
    public int Seed { get; init; } = 20261121;
    public bool Engine { get; init; } = true;
    public int EngineMemoryMiB { get; init; } = 32;
    public string? Output { get; init; }
    public string CommandLine { get; init; } = "";
}
