using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CacheOperator.Server.Session;

namespace CacheOperator.Server.Tests.Observability;

/// <summary>
/// The latency histogram times the commands of the first read of a connection and then of one read in
/// <see cref="MemcachedSession.LatencySampleInterval"/>, every command of a timed read; the command counters
/// still count every command.
/// </summary>
public sealed class CommandLatencySamplingTests
{
    [Fact]
    public async Task OneGetPerRead_TimesTheFirstReadAndThenOneInTheInterval()
    {
        await using var session = new SessionHarness();
        var reads = 2 * MemcachedSession.LatencySampleInterval + 1;
        for (var i = 0; i < reads; i++)
        {
            await session.SendAsync("get missing\r\n");
            await session.ReadUntilAsync("END\r\n");
        }

        var text = Scrape(session);
        Assert.Equal(3, HistogramCount(text, "get"));
        Assert.Contains($"cachenode_commands_total{{command=\"get\",result=\"miss\"}} {reads}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelinedRead_WhenTimed_TimesEveryCommandInIt()
    {
        await using var session = new SessionHarness();
        await session.SendAsync("get a\r\nget b\r\nget c\r\n");
        await session.ReadUntilAsync("END\r\nEND\r\nEND\r\n");
        // The second read of the connection is not timed.
        await session.SendAsync("get d\r\nget e\r\n");
        await session.ReadUntilAsync("END\r\nEND\r\n");

        Assert.Equal(3, HistogramCount(Scrape(session), "get"));
    }

    private static string Scrape(SessionHarness session)
    {
        var buffer = new ArrayBufferWriter<byte>();
        session.Registry.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static long HistogramCount(string text, string command)
    {
        var match = Regex.Match(text, $"^cachenode_command_duration_seconds_count\\{{command=\"{command}\"\\}} (\\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no duration histogram for {command} in:\n{text}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
