using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>Line-oriented comparison of two transcripts, for readable failure messages.</summary>
public static class TranscriptDiff
{
    /// <summary>Null when equal; otherwise every differing line (up to a limit) with its number.</summary>
    public static string? Describe(string expected, string actual, string expectedLabel, string actualLabel)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var text = new StringBuilder();
        var differences = 0;
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var left = i < expectedLines.Length ? expectedLines[i] : "<no line>";
            var right = i < actualLines.Length ? actualLines[i] : "<no line>";
            if (left == right)
            {
                continue;
            }

            if (++differences <= 25)
            {
                text.AppendLine($"line {i + 1}:");
                text.AppendLine($"  {expectedLabel}: {Clip(left)}");
                text.AppendLine($"  {actualLabel}: {Clip(right)}");
            }
        }

        if (differences == 0)
        {
            return null;
        }

        return $"{differences} line(s) differ.\n{text}";
    }

    private static string Clip(string line) => line.Length <= 600 ? line : line[..600] + $"... ({line.Length} chars)";
}
