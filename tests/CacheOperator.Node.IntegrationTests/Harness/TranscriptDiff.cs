using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// Line diff of two transcripts (longest common subsequence), so that one missing or extra line shows as itself
/// instead of shifting every line after it.
/// </summary>
public static class TranscriptDiff
{
    private const int MaxReportedLines = 60;

    /// <summary>Null when equal; otherwise the differing lines, "-" for expected only and "+" for actual only.</summary>
    public static string? Describe(string expected, string actual, string expectedLabel, string actualLabel)
    {
        if (expected == actual)
        {
            return null;
        }

        var left = expected.Split('\n');
        var right = actual.Split('\n');

        // common[i, j] = length of the longest common subsequence of left[i..] and right[j..].
        var common = new int[left.Length + 1, right.Length + 1];
        for (var i = left.Length - 1; i >= 0; i--)
        {
            for (var j = right.Length - 1; j >= 0; j--)
            {
                common[i, j] = left[i] == right[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var text = new StringBuilder();
        var reported = 0;
        var (l, r) = (0, 0);
        while (l < left.Length || r < right.Length)
        {
            if (l < left.Length && r < right.Length && left[l] == right[r])
            {
                (l, r) = (l + 1, r + 1);
            }
            else if (r >= right.Length || (l < left.Length && common[l + 1, r] >= common[l, r + 1]))
            {
                Report(text, ref reported, $"- line {l + 1} only from {expectedLabel}: {Clip(left[l])}");
                l++;
            }
            else
            {
                Report(text, ref reported, $"+ line {r + 1} only from {actualLabel}: {Clip(right[r])}");
                r++;
            }
        }

        return $"{reported} line(s) differ.\n{text}";
    }

    private static void Report(StringBuilder text, ref int reported, string line)
    {
        if (++reported <= MaxReportedLines)
        {
            text.AppendLine(line);
        }
    }

    private static string Clip(string line) => line.Length <= 600 ? line : line[..600] + $"... ({line.Length} chars)";
}
