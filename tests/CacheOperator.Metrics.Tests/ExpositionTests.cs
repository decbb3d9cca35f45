namespace CacheOperator.Metrics.Tests;

public class ExpositionTests
{
    [Fact]
    public void Counter_WithLabels_WritesHelpTypeAndSample()
    {
        var registry = new MetricsRegistry();
        ICounter counter = registry.Counter("app_requests_total", "Requests served.", ("method", "get"), ("code", "200"));
        counter.Inc();
        counter.Add(4L);
        counter.Add(0.5);

        Assert.Equal(
            "# HELP app_requests_total Requests served.\n" +
            "# TYPE app_requests_total counter\n" +
            "app_requests_total{method=\"get\",code=\"200\"} 5.5\n",
            registry.Scrape());
    }

    [Fact]
    public void Counter_WithoutLabels_WritesBareName()
    {
        var registry = new MetricsRegistry();
        registry.Counter("jobs_total", "Jobs.").Add(3L);

        Assert.Equal("# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 3\n", registry.Scrape());
    }

    [Fact]
    public void Gauge_SetIncDec_WritesCurrentValue()
    {
        var registry = new MetricsRegistry();
        IGauge gauge = registry.Gauge("queue_depth", "Items waiting.");
        gauge.Set(10);
        gauge.Inc();
        gauge.Inc(2.5);
        gauge.Dec(4);

        Assert.Equal(9.5, gauge.Value);
        Assert.Equal("# HELP queue_depth Items waiting.\n# TYPE queue_depth gauge\nqueue_depth 9.5\n", registry.Scrape());
    }

    [Fact]
    public void Histogram_WritesCumulativeBucketsSumAndCount()
    {
        var registry = new MetricsRegistry();
        IHistogram histogram = registry.Histogram("op_seconds", "Op time.", [0.01, 0.1, 1], ("op", "read"));
        histogram.Observe(0.005);
        histogram.Observe(0.01);
        histogram.Observe(0.05);
        histogram.Observe(3);

        Assert.Equal(
            "# HELP op_seconds Op time.\n" +
            "# TYPE op_seconds histogram\n" +
            "op_seconds_bucket{op=\"read\",le=\"0.01\"} 2\n" +
            "op_seconds_bucket{op=\"read\",le=\"0.1\"} 3\n" +
            "op_seconds_bucket{op=\"read\",le=\"1\"} 3\n" +
            "op_seconds_bucket{op=\"read\",le=\"+Inf\"} 4\n" +
            "op_seconds_sum{op=\"read\"} 3.065\n" +
            "op_seconds_count{op=\"read\"} 4\n",
            registry.Scrape());
    }

    [Fact]
    public void Histogram_WithoutLabels_PutsOnlyLeInBraces()
    {
        var registry = new MetricsRegistry();
        registry.Histogram("size_bytes", "Sizes.", [1e-05, 1e6]).Observe(2e6);

        Assert.Equal(
            "# HELP size_bytes Sizes.\n" +
            "# TYPE size_bytes histogram\n" +
            "size_bytes_bucket{le=\"1e-05\"} 0\n" +
            "size_bytes_bucket{le=\"1e+06\"} 0\n" +
            "size_bytes_bucket{le=\"+Inf\"} 1\n" +
            "size_bytes_sum 2e+06\n" +
            "size_bytes_count 1\n",
            registry.Scrape());
    }

    [Fact]
    public void Callbacks_AreReadAtScrapeTime_AfterBeforeScrapeHooks()
    {
        var registry = new MetricsRegistry();
        double snapshot = 0;
        double source = 7;
        registry.AddBeforeScrape(() => snapshot = source);
        registry.CounterFunc("things_total", "Things.", () => snapshot);
        registry.GaugeFunc("things_now", "Things now.", () => snapshot * 2, ("kind", "a"));

        source = 21;

        Assert.Equal(
            "# HELP things_total Things.\n# TYPE things_total counter\nthings_total 21\n" +
            "# HELP things_now Things now.\n# TYPE things_now gauge\nthings_now{kind=\"a\"} 42\n",
            registry.Scrape());
    }

    [Fact]
    public void SameNameAndLabels_ReturnsSameInstrument_AndOneFamilyBlock()
    {
        var registry = new MetricsRegistry();
        ICounter hits = registry.Counter("cmd_total", "Commands.", ("result", "hit"));
        ICounter misses = registry.Counter("cmd_total", "Commands.", ("result", "miss"));
        ICounter hitsAgain = registry.Counter("cmd_total", "Commands.", ("result", "hit"));
        hits.Inc();
        hitsAgain.Inc();
        misses.Inc();

        Assert.Same(hits, hitsAgain);
        Assert.NotSame(hits, misses);
        Assert.Equal(
            "# HELP cmd_total Commands.\n# TYPE cmd_total counter\ncmd_total{result=\"hit\"} 2\ncmd_total{result=\"miss\"} 1\n",
            registry.Scrape());
    }

    [Fact]
    public void Families_AreWrittenInCreationOrder()
    {
        var registry = new MetricsRegistry();
        registry.Gauge("b_gauge", "B.").Set(1);
        registry.Counter("a_total", "A.").Inc();

        string text = registry.Scrape();

        Assert.True(text.IndexOf("b_gauge", StringComparison.Ordinal) < text.IndexOf("a_total", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelValues_EscapeBackslashQuoteAndNewline()
    {
        var registry = new MetricsRegistry();
        registry.Counter("esc_total", "Escapes.", ("path", "C:\\dir \"x\"\nnext")).Inc();

        Assert.Contains("esc_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n", registry.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpText_EscapesBackslashAndNewline_ButNotQuotes()
    {
        var registry = new MetricsRegistry();
        registry.Gauge("help_demo", "Line one\nback\\slash \"quoted\"").Set(0);

        Assert.StartsWith("# HELP help_demo Line one\\nback\\\\slash \"quoted\"\n", registry.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelValue_Unicode_IsWrittenAsUtf8()
    {
        var registry = new MetricsRegistry();
        registry.Gauge("uni", "U.", ("city", "Zürich")).Set(1);

        Assert.Contains("uni{city=\"Zürich\"} 1\n", registry.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(100.0, "100")]
    [InlineData(123456.0, "123456")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(67108864.0, "6.7108864e+07")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.000123, "0.000123")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(2.5e-07, "2.5e-07")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_AreFormattedAsPrometheusGoClientDoes(double value, string expected)
    {
        var registry = new MetricsRegistry();
        registry.Gauge("v", "V.").Set(value);

        Assert.Equal($"# HELP v V.\n# TYPE v gauge\nv {expected}\n", registry.Scrape());
    }

    [Fact]
    public async Task WriteToAsync_WritesSameBytesAsWriteTo()
    {
        var registry = new MetricsRegistry();
        registry.Counter("x_total", "X.").Inc();
        using var stream = new MemoryStream();

        await registry.WriteToAsync(stream);

        Assert.Equal(registry.Scrape(), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ((IMetricsExporter)registry).ContentType);
    }
}
