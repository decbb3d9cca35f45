using System.Collections.Concurrent;
using System.Globalization;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// A client reading a node over and over while something happens around it: every request must get a
/// well-formed answer (hit or miss). Bounded in requests and time; stops when asked.
/// </summary>
public sealed class GetterLoop
{
    private const int MaxRequests = 500_000;

    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(40);

    private readonly ConcurrentQueue<string> _failures = new();
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    public IReadOnlyCollection<string> Failures => [.. _failures];

    public Task RunAsync(int port, string keyPrefix, int keyCount, CancellationToken stop) => Task.Run(async () =>
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bounded.CancelAfter(MaxDuration);
        var random = new Random(port);
        try
        {
            using var client = await TextClient.ConnectAsync(port, bounded.Token);
            for (var i = 0; i < MaxRequests && !bounded.IsCancellationRequested; i++)
            {
                await client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{random.Next(keyCount)}"), bounded.Token);
                Interlocked.Increment(ref _answered);

                // A reader, not a load: leave the CPU to the nodes on a 2-core machine.
                await Task.Delay(2, bounded.Token);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            _failures.Enqueue(ex.Message);
        }
    }, CancellationToken.None);
}
