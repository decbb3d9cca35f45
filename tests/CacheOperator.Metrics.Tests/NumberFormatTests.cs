using System.Globalization;
using System.Text.RegularExpressions;

namespace CacheOperator.Metrics.Tests;

public partial class NumberFormatTests
{
    [Fact]
    public void RandomValues_RoundTripExactly_InGoLayout()
    {
        var random = new Random(20261121);
        var registry = new MetricsRegistry();
        IGauge gauge = registry.Gauge("v", "V.");

        for (int i = 0; i < 5_000; i++)
        {
            // spread over the whole exponent range, not just [0, 1)
            double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
            gauge.Set(value);

            string text = registry.Scrape();
            string formatted = text[(text.LastIndexOf(' ') + 1)..^1];

            Assert.Equal(value, double.Parse(formatted, CultureInfo.InvariantCulture));
            Assert.Matches(GoFloat(), formatted);
        }
    }

    /// <summary>Go's 'g' layout: plain decimals, or one digit, optional fraction, e, sign, two or more digits.</summary>
    [GeneratedRegex(@"^-?(\d+(\.\d+)?|\d(\.\d+)?e[+-]\d{2,3})$")]
    private static partial Regex GoFloat();
}
