using System.Text.RegularExpressions;

namespace CacheOperator.Node.IntegrationTests.Memccapable;

/// <summary>
/// memccapable's results, parsed from its merged output. It prints each test's name padded to 40 columns, then
/// "[pass]" or "[skip]" on stdout or "[FAIL]" on stderr, sometimes with diagnostics in between; a test whose
/// name is followed by no verdict (the tool died or hung) gets the outcome "none".
/// </summary>
public sealed partial class MemccapableReport
{
    private MemccapableReport(IReadOnlyList<KeyValuePair<string, string>> outcomes) => Outcomes = outcomes;

    /// <summary>(test name, outcome) in the order the tool ran them; outcomes are lower case: pass, skip, fail, none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Outcomes { get; }

    public IEnumerable<string> Named(string outcome) =>
        Outcomes.Where(o => o.Value == outcome).Select(o => o.Key);

    public string OutcomeOf(string test) =>
        Outcomes.FirstOrDefault(o => o.Key == test) is { Key: not null } found ? found.Value : "not run";

    public static MemccapableReport Parse(string output)
    {
        var names = TestName().Matches(output);
        var outcomes = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < names.Count; i++)
        {
            var segmentStart = names[i].Index + names[i].Length;
            var segmentEnd = i + 1 < names.Count ? names[i + 1].Index : output.Length;
            var verdict = Verdict().Match(output, segmentStart, segmentEnd - segmentStart);
            outcomes.Add(new(names[i].Groups["name"].Value, verdict.Success ? verdict.Groups["verdict"].Value.ToLowerInvariant() : "none"));
        }

        return new MemccapableReport(outcomes);
    }

    public override string ToString() => string.Join("\n", Outcomes.Select(o => $"{o.Key,-30} {o.Value}"));

    [GeneratedRegex(@"(?<name>(?:ascii|binary) [a-z]+(?: noreply)?)(?= )")]
    private static partial Regex TestName();

    [GeneratedRegex(@"\[(?<verdict>pass|skip|FAIL)\]")]
    private static partial Regex Verdict();
}
