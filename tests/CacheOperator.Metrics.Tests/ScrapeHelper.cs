using System.Buffers;
using System.Text;

namespace CacheOperator.Metrics.Tests;

internal static class ScrapeHelper
{
    public static string Scrape(this MetricsRegistry registry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
