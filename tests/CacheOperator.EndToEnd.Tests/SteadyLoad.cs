using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// A steady read/write load through a router while the cluster changes under it, with two checkers:
/// the hit ratio of reads of preloaded keys in every 100 ms window, and lost deletes (keys written, deleted with
/// an acknowledgement, then read back now and again: one that comes back means a move resurrected it).
/// One request batch per round trip, paced so the 2-core machine still has room for the move itself; bounded by
/// <see cref="MaxDuration"/> whatever the caller does.
/// </summary>
internal sealed class SteadyLoad
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(8);

    private const int GetsPerBatch = 16;
    private const int DeleteChecksPerBatch = 3;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(5);

    private readonly string _host;
    private readonly int _keys;
    private readonly Func<int, string> _key;
    private readonly Func<int, string> _value;
    private readonly Stopwatch _clock = new();
    private readonly Lock _lock = new();
    private readonly long[] _gets = new long[(int)(MaxDuration / Window) + 1];
    private readonly long[] _hits = new long[(int)(MaxDuration / Window) + 1];
    private readonly List<int> _deleted = [];
    private readonly List<string> _lostDeletes = [];
    private readonly List<string> _wrongValues = [];
    private readonly List<string> _errors = [];
    private readonly List<string> _misses = [];
    private TimeSpan _longestGap;
    private long _batches;

    public SteadyLoad(string host, int keys, Func<int, string> key, Func<int, string> value)
    {
        _host = host;
        _keys = keys;
        _key = key;
        _value = value;
    }

    /// <summary>Time since the load started: the clock every window and mark is on.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<string> LostDeletes
    {
        get
        {
            lock (_lock)
                return [.. _lostDeletes];
        }
    }

    public IReadOnlyList<string> WrongValues
    {
        get
        {
            lock (_lock)
                return [.. _wrongValues];
        }
    }

    /// <summary>The first reads of preloaded keys that missed, with when: what a failed window needs explained.</summary>
    public IReadOnlyList<string> Misses
    {
        get
        {
            lock (_lock)
                return [.. _misses];
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
                return [.. _errors];
        }
    }

    public int AcknowledgedDeletes
    {
        get
        {
            lock (_lock)
                return _deleted.Count;
        }
    }

    public long Batches => Interlocked.Read(ref _batches);

    public TimeSpan LongestGap
    {
        get
        {
            lock (_lock)
                return _longestGap;
        }
    }

    /// <summary>Stores every preloaded key through the router, pipelined; fails on any reply but STORED.</summary>
    public async Task PreloadAsync()
    {
        using var connection = await TextConnection.ConnectAsync(_host);
        const int batch = 500;
        for (var first = 0; first < _keys; first += batch)
        {
            var count = Math.Min(batch, _keys - first);
            var request = new StringBuilder();
            for (var i = first; i < first + count; i++)
                AppendSet(request, _key(i), _value(i));
            await connection.SendAsync(request.ToString());
            for (var i = 0; i < count; i++)
            {
                var reply = await connection.ReadLineAsync();
                if (reply != "STORED")
                    throw new InvalidOperationException($"preloading {_key(first + i)}: {reply}");
            }
        }
    }

    /// <summary>How many preloaded keys read back with their own value (multi-gets of 100 through the router).</summary>
    public async Task<int> CountReadableAsync()
    {
        using var connection = await TextConnection.ConnectAsync(_host);
        const int batch = 100;
        var readable = 0;
        for (var first = 0; first < _keys; first += batch)
        {
            var ids = Enumerable.Range(first, Math.Min(batch, _keys - first)).ToList();
            await connection.SendAsync("get " + string.Join(' ', ids.Select(_key)) + "\r\n");
            var values = await connection.ReadValuesAsync();
            readable += ids.Count(id => values.TryGetValue(_key(id), out var value) && value == _value(id));
        }

        return readable;
    }

    /// <summary>Runs until <paramref name="stop"/> or <see cref="MaxDuration"/>; reconnects after a broken reply.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(20261121);
        var nextDelete = 0;
        _clock.Start();
        var lastBatch = TimeSpan.Zero;
        TextConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested && _clock.Elapsed < MaxDuration)
            {
                var started = _clock.Elapsed;
                var window = (int)(started / Window);
                var ids = new int[GetsPerBatch];
                for (var i = 0; i < ids.Length; i++)
                    ids[i] = random.Next(_keys);
                var rewrite = random.Next(_keys);
                var deleteId = nextDelete++;
                int[] checks;
                lock (_lock)
                    checks = _deleted.Count == 0 ? [] : [.. Enumerable.Range(0, DeleteChecksPerBatch).Select(_ => _deleted[random.Next(_deleted.Count)])];

                var request = new StringBuilder("get");
                foreach (var id in ids)
                    request.Append(' ').Append(_key(id));
                request.Append("\r\n");
                AppendSet(request, _key(rewrite), _value(rewrite));
                AppendSet(request, DeleteKey(deleteId), "x");
                request.Append("delete ").Append(DeleteKey(deleteId)).Append("\r\n");
                if (checks.Length > 0)
                    request.Append("get ").Append(string.Join(' ', checks.Select(DeleteKey))).Append("\r\n");

                var hits = 0;
                try
                {
                    connection ??= await TextConnection.ConnectAsync(_host);
                    await connection.SendAsync(request.ToString());
                    var values = await connection.ReadValuesAsync();
                    foreach (var id in ids.Distinct())
                    {
                        if (!values.TryGetValue(_key(id), out var value))
                        {
                            Record(_misses, $"{_key(id)} missed at {started.TotalSeconds:0.000} s");
                            continue;
                        }

                        if (value == _value(id))
                            hits += ids.Count(i => i == id);
                        else
                            Record(_wrongValues, $"{_key(id)} read '{value}' at {started.TotalSeconds:0.0} s");
                    }

                    ExpectLine(await connection.ReadLineAsync(), "STORED", started);
                    ExpectLine(await connection.ReadLineAsync(), "STORED", started);
                    if (await connection.ReadLineAsync() is var deleted && deleted == "DELETED")
                    {
                        lock (_lock)
                            _deleted.Add(deleteId);
                    }
                    else
                    {
                        Record(_errors, $"delete {DeleteKey(deleteId)}: {deleted} at {started.TotalSeconds:0.0} s");
                    }

                    if (checks.Length > 0)
                    {
                        foreach (var key in (await connection.ReadValuesAsync()).Keys)
                            Record(_lostDeletes, $"{key} read back at {started.TotalSeconds:0.0} s after its delete was acknowledged");
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // A broken reply counts its reads as misses; the next batch starts on a fresh connection.
                    Record(_errors, $"{e.GetType().Name}: {e.Message} at {started.TotalSeconds:0.0} s");
                    connection?.Dispose();
                    connection = null;
                }

                var finished = _clock.Elapsed;
                lock (_lock)
                {
                    _gets[window] += ids.Length;
                    _hits[window] += hits;
                    if (finished - lastBatch > _longestGap)
                        _longestGap = finished - lastBatch;
                }

                lastBatch = finished;
                Interlocked.Increment(ref _batches);
                var rest = Pace - (finished - started);
                if (rest > TimeSpan.Zero)
                    await Task.Delay(rest, CancellationToken.None);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Hit ratio over every read in [from, to).</summary>
    public double HitRatio(TimeSpan from, TimeSpan to)
    {
        long gets = 0, hits = 0;
        foreach (var w in Windows(from, to))
        {
            gets += w.Gets;
            hits += w.Hits;
        }

        return gets == 0 ? double.NaN : (double)hits / gets;
    }

    /// <summary>The 100 ms windows that start in [from, to) and saw reads.</summary>
    public IReadOnlyList<HitWindow> Windows(TimeSpan from, TimeSpan to)
    {
        var first = Math.Max(0, (int)(from / Window));
        var last = Math.Min(_gets.Length, (int)Math.Ceiling(to / Window));
        var windows = new List<HitWindow>();
        lock (_lock)
        {
            for (var w = first; w < last; w++)
            {
                if (_gets[w] > 0)
                    windows.Add(new HitWindow(Window * w, _gets[w], _hits[w]));
            }
        }

        return windows;
    }

    private void ExpectLine(string line, string expected, TimeSpan at)
    {
        if (line != expected)
            Record(_errors, $"expected {expected}, got '{line}' at {at.TotalSeconds:0.0} s");
    }

    private void Record(List<string> list, string what)
    {
        lock (_lock)
        {
            if (list.Count < 100)
                list.Add(what);
        }
    }

    private static void AppendSet(StringBuilder request, string key, string value) =>
        request.Append(CultureInfo.InvariantCulture, $"set {key} 0 0 {Encoding.ASCII.GetByteCount(value)}\r\n{value}\r\n");

    private static string DeleteKey(int id) => string.Create(CultureInfo.InvariantCulture, $"del:{id}");
}
