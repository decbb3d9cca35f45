using System.Collections.Concurrent;
using System.Globalization;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// Client traffic on a source while a stream runs: sets, deletes, incrs and touches over a key space, on a few
/// connections that each own a disjoint share of the keys (so each key's mutations have one order, which the
/// record of acknowledged deletes relies on). Bounded in operations and time; stops when asked.
/// </summary>
public sealed class SourceLoad
{
    private const int MaxOperationsPerConnection = 200_000;

    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(30);

    private readonly int _port;
    private readonly IReadOnlyList<string> _keys;
    private readonly int _connections;
    private readonly int _seed;
    private readonly ConcurrentDictionary<string, byte> _acknowledgedDeletes = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private long _operations;

    public SourceLoad(int port, IReadOnlyList<string> keys, int connections, int seed)
    {
        _port = port;
        _keys = keys;
        _connections = connections;
        _seed = seed;
    }

    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Keys whose last acknowledged mutation was a delete that removed them (no later STORED).</summary>
    public IReadOnlyCollection<string> AcknowledgedDeletes => [.. _acknowledgedDeletes.Keys];

    /// <summary>Replies no correct server gives to these requests, and exceptions.</summary>
    public IReadOnlyCollection<string> Errors => [.. _errors];

    /// <summary>The value a key gets first, before any load: half numbers (so incr has work), half text.</summary>
    public static string InitialValue(int index) =>
        index % 2 == 0 ? (index * 7).ToString(CultureInfo.InvariantCulture) : $"initial-{index}-" + new string('x', index % 300);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, _connections).Select(c => Task.Run(() => RunConnectionAsync(c, stop), CancellationToken.None)));

    private async Task RunConnectionAsync(int connection, CancellationToken stop)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bounded.CancelAfter(MaxDuration);
        var random = new Random(_seed + connection);
        var owned = _keys.Where((_, i) => i % _connections == connection).ToArray();
        try
        {
            using var client = await TextClient.ConnectAsync(_port, bounded.Token);
            for (var i = 0; i < MaxOperationsPerConnection && !bounded.IsCancellationRequested; i++)
            {
                await OneOperationAsync(client, owned[random.Next(owned.Length)], random, bounded.Token);
                Interlocked.Increment(ref _operations);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // Stopped mid-request: that request's outcome is unknown, so its key is no longer judged by the record.
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            _errors.Enqueue($"connection {connection}: {ex.Message}");
        }
    }

    private async Task OneOperationAsync(TextClient client, string key, Random random, CancellationToken cancellation)
    {
        string reply;
        var choice = random.Next(100);
        if (choice < 40)
        {
            // A set may bring the key back even if its reply never arrives: forget the delete before asking.
            _acknowledgedDeletes.TryRemove(key, out _);
            var value = random.Next(2) == 0
                ? random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)
                : $"{key}-{random.Next()}-" + new string((char)('a' + random.Next(26)), random.Next(1500));
            reply = await client.SetAsync(key, value, (uint)random.Next(65536), random.Next(2) == 0 ? 0 : random.Next(300, 3600), cancellation);
            Expect(key, "set", reply, reply == "STORED");
        }
        else if (choice < 60)
        {
            reply = await client.CommandAsync($"delete {key}", cancellation);
            Expect(key, "delete", reply, reply is "DELETED" or "NOT_FOUND");
            if (reply is "DELETED" or "NOT_FOUND")
            {
                _acknowledgedDeletes[key] = 0;
            }
        }
        else if (choice < 80)
        {
            reply = await client.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"incr {key} {random.Next(1, 100)}"), cancellation);
            Expect(key, "incr", reply, reply == "NOT_FOUND" || reply.StartsWith("CLIENT_ERROR cannot increment", StringComparison.Ordinal) || ulong.TryParse(reply, out _));
        }
        else
        {
            // Neither incr nor touch brings a deleted key back, so a delete acknowledged earlier still holds.
            var ttl = random.Next(3) == 0 ? 0 : random.Next(300, 3600);
            reply = await client.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"touch {key} {ttl}"), cancellation);
            Expect(key, "touch", reply, reply is "TOUCHED" or "NOT_FOUND");
        }
    }

    private void Expect(string key, string verb, string reply, bool acceptable)
    {
        if (!acceptable)
        {
            _errors.Enqueue($"{verb} {key}: '{reply}'");
        }
    }
}
