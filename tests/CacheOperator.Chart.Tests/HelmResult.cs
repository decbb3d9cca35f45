namespace CacheOperator.Chart.Tests;

/// <summary>What one helm invocation printed; a null exit code means it was killed for taking too long.</summary>
internal sealed record HelmResult(int? ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(killed)"}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
