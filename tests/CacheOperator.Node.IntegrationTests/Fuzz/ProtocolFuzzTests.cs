using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Fuzz;

/// <summary>
/// Several connections throw random bytes and mutated commands at one node for a bounded time while a
/// well-behaved client does round trips whose every reply is checked byte for byte; afterwards the node must still
/// answer, its stats must work and its memory must have stayed within the item limit plus a fixed allowance.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private const int FixedSeed = 20261121;
    private const int AttackerCount = 4;
    private const int MaxPayloadsPerAttacker = 2_000_000;
    private const int PayloadsPerConnection = 300;
    private const int MaxGoodIterations = 1_000_000;
    private const int MemoryMegabytes = 64;

    /// <summary>
    /// Room above the item memory for the runtime (JIT, GC heaps on 2 cores), per-connection pipe buffers and
    /// index overhead. A leak per payload or per connection outgrows it within the run.
    /// </summary>
    private const long RssAllowanceKilobytes = 192 * 1024;

    /// <summary>Filler items: sized so the run writes three times the item memory and eviction has to work.</summary>
    private const int FillValueBytes = 32 * 1024;
    private const long FillTotalBytes = 3L * MemoryMegabytes * 1024 * 1024;

    private static readonly TimeSpan FuzzDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task RandomAndMutatedInput_KeepsNodeCorrectResponsiveAndBounded()
    {
        // A failed run names its random seed; FUZZ_RANDOM_SEED replays exactly that run.
        var randomSeed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_RANDOM_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var replay)
            ? replay
            : Random.Shared.Next();
        var seeds = $"seeds: fixed {FixedSeed} (attackers 0-1, good client), random {randomSeed} (attackers 2-3)";
        output.WriteLine(seeds);

        using var node = NodeUnderTest.Start(new ServerSettings(MemoryMegabytes));
        var counters = new FuzzCounters();
        var peakRss = 0L;
        using var stop = new CancellationTokenSource(FuzzDuration);

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (node.ReadRssKilobytes() is { } rss)
                {
                    peakRss = Math.Max(peakRss, rss);
                }

                await Task.Delay(200, CancellationToken.None);
            }
        });
        var attackers = Enumerable.Range(0, AttackerCount)
            .Select(i => Task.Run(() => AttackAsync(node.Port, i < 2 ? FixedSeed + i : randomSeed + i, counters, stop.Token)))
            .ToArray();
        var filler = Task.Run(() => FillAsync(node.Port, counters, stop.Token));
        var goodClient = Task.Run(() => WellBehavedClientAsync(node.Port, new Random(FixedSeed), counters, stop.Token));

        string? goodClientFailure = null;
        try
        {
            await goodClient;
        }
        catch (Exception error) when (error is InvalidOperationException or SocketException or IOException or OperationCanceledException)
        {
            goodClientFailure = error.Message;
            await stop.CancelAsync();
        }

        await Task.WhenAll(attackers);
        await filler;
        await sampler;
        output.WriteLine(counters.ToString());
        output.WriteLine($"peak RSS {peakRss} KiB (bound {MemoryMegabytes * 1024L + RssAllowanceKilobytes} KiB)");

        Assert.True(goodClientFailure is null, $"The well-behaved client saw a wrong or missing reply ({seeds}): {goodClientFailure}\n{counters}\n{node.Describe()}");
        Assert.False(node.HasExited, $"The node died under fuzzing ({seeds}).\n{node.Describe()}");
        Assert.True(counters.GoodRoundTrips >= 20, $"The well-behaved client was starved: {counters.GoodRoundTrips} round trips in {FuzzDuration.TotalSeconds}s ({seeds}).");
        Assert.True(counters.Payloads >= 100, $"The attackers barely ran ({counters}); the test proved nothing.");

        await AssertStillServesAsync(node, seeds);

        var finalRss = node.ReadRssKilobytes() ?? 0;
        var bound = MemoryMegabytes * 1024L + RssAllowanceKilobytes;
        output.WriteLine($"final RSS {finalRss} KiB");
        Assert.True(
            Math.Max(peakRss, finalRss) <= bound,
            $"RSS peaked at {Math.Max(peakRss, finalRss)} KiB, over the bound of {bound} KiB (-m {MemoryMegabytes} MiB + {RssAllowanceKilobytes / 1024} MiB) ({seeds}).");
    }

    private static async Task AssertStillServesAsync(ICacheServer node, string seeds)
    {
        var version = await RawConversation.RunAsync(node.Port, [new RawStep("version\r\n", AppendSentinel: false)]);
        var versionText = Encoding.Latin1.GetString(version.Reply);
        Assert.True(versionText.StartsWith("VERSION ", StringComparison.Ordinal) && versionText.EndsWith("\r\n", StringComparison.Ordinal),
            $"After fuzzing, version answered '{ByteText.Escape(versionText)}' ({seeds}).");

        var roundTrip = await RawConversation.RunAsync(node.Port, [new RawStep("set fuzz:final 5 0 2\r\nok\r\nget fuzz:final\r\n")]);
        Assert.Equal("STORED\r\nVALUE fuzz:final 5 2\r\nok\r\nEND\r\nMN\r\n", Encoding.Latin1.GetString(roundTrip.Reply));

        var stats = await RawConversation.RunAsync(node.Port, [new RawStep("stats\r\n")]);
        var statsText = Encoding.Latin1.GetString(stats.Reply);
        Assert.True(
            statsText.StartsWith("STAT ", StringComparison.Ordinal) && statsText.EndsWith("END\r\nMN\r\n", StringComparison.Ordinal),
            $"After fuzzing, stats answered '{ByteText.Escape(statsText[..Math.Min(statsText.Length, 2000)])}' ({seeds}).");
    }

    private static async Task AttackAsync(int port, int seed, FuzzCounters counters, CancellationToken stop)
    {
        var generator = new FuzzInputGenerator(seed);
        var sent = 0;
        while (sent < MaxPayloadsPerAttacker && !stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // A node that died or stopped accepting is reported by the assertions after the run, with its output.
                Interlocked.Increment(ref counters.FailedConnects);
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            Interlocked.Increment(ref counters.Connections);

            // Replies are read and dropped on the side: a client that never reads would only test the node's
            // back-pressure, and would stall our own sends.
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var drain = DrainAsync(socket, counters, connection.Token);
            for (var i = 0; i < PayloadsPerConnection && sent < MaxPayloadsPerAttacker && !stop.IsCancellationRequested && !drain.IsCompleted; i++, sent++)
            {
                var payload = generator.Next();
                using var sendLimit = CancellationTokenSource.CreateLinkedTokenSource(stop);
                sendLimit.CancelAfter(SendTimeout);
                try
                {
                    await socket.SendAsync(payload, SocketFlags.None, sendLimit.Token);
                    Interlocked.Increment(ref counters.Payloads);
                    Interlocked.Add(ref counters.BytesSent, payload.Length);
                }
                catch (OperationCanceledException)
                {
                    if (!stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref counters.SendStalls);
                    }

                    break;
                }
                catch (SocketException)
                {
                    break;
                }
            }

            await connection.CancelAsync();
            socket.Close();
            await drain;
        }
    }

    /// <summary>
    /// Unique keys with noreply sets, spread over the run, so that the fuzzing happens while the store evicts and
    /// the RSS bound is measured with the item memory full.
    /// </summary>
    private static async Task FillAsync(int port, FuzzCounters counters, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop);
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref counters.FailedConnects);
            return;
        }

        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var drain = DrainAsync(socket, counters, connection.Token);
        var value = new byte[FillValueBytes];
        new Random(FixedSeed).NextBytes(value);
        var items = FillTotalBytes / FillValueBytes;
        var pause = FuzzDuration * 0.8 / items;
        try
        {
            for (var n = 0L; n < items && !stop.IsCancellationRequested && !drain.IsCompleted; n++)
            {
                byte[] request = [.. Ascii($"set fill:{n} 0 0 {value.Length} noreply\r\n"), .. value, .. "\r\n"u8];
                await socket.SendAsync(request, SocketFlags.None, stop);
                Interlocked.Add(ref counters.FillBytes, value.Length);
                if (n % 16 == 15)
                {
                    await Task.Delay(pause * 16, stop);
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
        }

        await connection.CancelAsync();
        socket.Close();
        await drain;
    }

    private static async Task DrainAsync(Socket socket, FuzzCounters counters, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
                if (received == 0)
                {
                    Interlocked.Increment(ref counters.ClosedByServer);
                    return;
                }

                Interlocked.Add(ref counters.BytesReceived, received);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task WellBehavedClientAsync(int port, Random random, FuzzCounters counters, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await ExpectAsync(socket, "set good:counter 0 0 1\r\n0\r\n"u8.ToArray(), "STORED\r\n"u8.ToArray());
        long counter = 0;

        for (var i = 0; i < MaxGoodIterations && !stop.IsCancellationRequested; i++)
        {
            var key = "good:" + (i % 200).ToString(CultureInfo.InvariantCulture);
            var flags = random.Next(0, 65536);
            var value = new byte[random.Next(0, 4096)];
            random.NextBytes(value);
            switch (i % 4)
            {
                case 0:
                case 1:
                    await ExpectAsync(socket, [.. Ascii($"set {key} {flags} 0 {value.Length}\r\n"), .. value, .. "\r\n"u8], "STORED\r\n"u8.ToArray());
                    await ExpectAsync(socket, Ascii($"get {key}\r\n"), [.. Ascii($"VALUE {key} {flags} {value.Length}\r\n"), .. value, .. "\r\nEND\r\n"u8]);
                    break;
                case 2:
                    await ExpectAsync(socket, [.. Ascii($"ms {key} {value.Length} F{flags}\r\n"), .. value, .. "\r\n"u8], "HD\r\n"u8.ToArray());
                    await ExpectAsync(socket, Ascii($"mg {key} s f v\r\n"), [.. Ascii($"VA {value.Length} s{value.Length} f{flags}\r\n"), .. value, .. "\r\n"u8]);
                    break;
                default:
                    counter++;
                    await ExpectAsync(socket, "incr good:counter 1\r\n"u8.ToArray(), Ascii(counter.ToString(CultureInfo.InvariantCulture) + "\r\n"));
                    break;
            }

            Interlocked.Increment(ref counters.GoodRoundTrips);
        }
    }

    /// <summary>Sends a request and requires exactly the expected reply, failing as soon as the bytes diverge.</summary>
    private static async Task ExpectAsync(Socket socket, byte[] request, byte[] expected)
    {
        using var limit = new CancellationTokenSource(ReplyTimeout);
        await socket.SendAsync(request, SocketFlags.None, limit.Token);
        var received = new byte[expected.Length + 4096];
        var count = 0;
        try
        {
            while (count < expected.Length)
            {
                var n = await socket.ReceiveAsync(received.AsMemory(count), SocketFlags.None, limit.Token);
                if (n == 0)
                {
                    throw new InvalidOperationException($"the node closed the connection; got '{Show(received, count)}' of expected '{Show(expected, expected.Length)}'.");
                }

                count += n;
                if (!received.AsSpan(0, Math.Min(count, expected.Length)).SequenceEqual(expected.AsSpan(0, Math.Min(count, expected.Length))) || count > expected.Length)
                {
                    throw new InvalidOperationException($"request '{Show(request, request.Length)}' got '{Show(received, count)}', expected '{Show(expected, expected.Length)}'.");
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"no complete reply within {ReplyTimeout.TotalSeconds}s to '{Show(request, request.Length)}'; got '{Show(received, count)}'.");
        }
    }

    private static string Show(byte[] bytes, int count)
    {
        var text = ByteText.Escape(Encoding.Latin1.GetString(bytes, 0, count)).Replace("\n", "", StringComparison.Ordinal);
        return text.Length <= 300 ? text : text[..300] + $"...({count} bytes)";
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
