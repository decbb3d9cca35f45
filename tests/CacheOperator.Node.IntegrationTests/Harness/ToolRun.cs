namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>The outcome of running a client tool to completion.</summary>
/// <param name="ExitCode">Exit code; null when the run was killed at its time limit.</param>
/// <param name="Stdout">Standard output (with standard error interleaved when the run merged them).</param>
/// <param name="Stderr">Standard error, when not merged.</param>
public sealed record ToolRun(int? ExitCode, string Stdout, string Stderr)
{
    public bool TimedOut => ExitCode is null;

    public override string ToString() =>
        $"exit code: {(ExitCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none (killed at time limit)")}\n" +
        $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
