namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>What a kubectl or helm run printed; the whole of it goes into assertion messages.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
