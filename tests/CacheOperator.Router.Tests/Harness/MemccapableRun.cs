namespace CacheOperator.Router.Tests.Harness;

/// <summary>One memccapable run: its exit code, each test's outcome by name (true = pass), and its output.</summary>
internal sealed record MemccapableRun(int ExitCode, IReadOnlyDictionary<string, bool> Outcomes, string Output)
{
    public IEnumerable<string> Failed => Outcomes.Where(o => !o.Value).Select(o => o.Key);

    public string Describe() => $"exit code {ExitCode}, failed: [{string.Join(", ", Failed)}]\n{Output}";
}
