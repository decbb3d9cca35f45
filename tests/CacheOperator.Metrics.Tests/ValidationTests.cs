namespace CacheOperator.Metrics.Tests;

public class ValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("ünïcode")]
    public void Counter_InvalidMetricName_Throws(string name)
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Counter(name, "help"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("_private")]
    [InlineData("ns:sub_system:name_total")]
    [InlineData("name2")]
    public void Counter_ValidMetricName_IsAccepted(string name)
    {
        var registry = new MetricsRegistry();

        registry.Counter(name, "help").Inc();

        Assert.Contains($"\n{name} 1\n", registry.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("__reserved")]
    [InlineData("1st")]
    [InlineData("has:colon")]
    [InlineData("has-dash")]
    public void Counter_InvalidLabelName_Throws(string label)
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Counter("ok_total", "help", (label, "v")));
    }

    [Fact]
    public void Counter_DuplicateLabelName_Throws()
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Counter("ok_total", "help", ("a", "1"), ("a", "2")));
    }

    [Fact]
    public void Histogram_LeLabel_Throws()
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Histogram("h", "help", [1.0], ("le", "1")));
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 2.0, 1.0 })]
    [InlineData(new[] { 1.0, double.PositiveInfinity })]
    [InlineData(new[] { double.NaN })]
    public void Histogram_BadBuckets_Throw(double[] buckets)
    {
        var registry = new MetricsRegistry();

        Assert.Throws<ArgumentException>(() => registry.Histogram("h", "help", buckets));
    }

    [Fact]
    public void SameName_DifferentType_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("shared", "help");

        Assert.Throws<InvalidOperationException>(() => registry.Gauge("shared", "help"));
    }

    [Fact]
    public void SameName_DifferentLabelNames_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("shared_total", "help", ("a", "1"));

        Assert.Throws<InvalidOperationException>(() => registry.Counter("shared_total", "help", ("b", "1")));
    }

    [Fact]
    public void SameName_DifferentHelp_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("shared_total", "help");

        Assert.Throws<InvalidOperationException>(() => registry.Counter("shared_total", "other help"));
    }

    [Fact]
    public void SameHistogram_DifferentBuckets_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Histogram("h", "help", [1.0, 2.0]);

        Assert.Throws<InvalidOperationException>(() => registry.Histogram("h", "help", [1.0, 3.0]));
    }

    [Fact]
    public void CallbackTwice_WithSameLabels_Throws()
    {
        var registry = new MetricsRegistry();
        registry.GaugeFunc("g", "help", () => 1);

        Assert.Throws<InvalidOperationException>(() => registry.GaugeFunc("g", "help", () => 2));
    }

    [Fact]
    public void Counter_NegativeAdd_Throws()
    {
        var registry = new MetricsRegistry();
        ICounter counter = registry.Counter("c_total", "help");

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(-1L));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(double.NaN));
        Assert.Equal(0, counter.Value);
    }
}
