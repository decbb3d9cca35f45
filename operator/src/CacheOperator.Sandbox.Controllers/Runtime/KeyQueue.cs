using System.Threading.Channels;

namespace CacheOperator.Sandbox.Controllers.Runtime;

/// <summary>
/// A work queue of object keys ("ns/name"), as controllers use: a key waits at most once however often it is
/// added, and a key being processed is not handed out again until <see cref="Done"/> — an add meanwhile marks it
/// to run once more afterwards — so one object is never reconciled by two workers at once.
/// </summary>
internal sealed class KeyQueue
{
    private readonly Lock _lock = new();
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();

    /// <summary>Keys added and not yet handed out.</summary>
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    /// <summary>Keys handed out and not yet done.</summary>
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        lock (_lock)
        {
            if (!_waiting.Add(key) || _active.Contains(key))
                return;
            _ready.Writer.TryWrite(key);
        }
    }

    /// <summary>Adds the key after a delay (a retry or a timed re-check); dropped if the token is cancelled first.</summary>
    public void AddAfter(string key, TimeSpan delay, CancellationToken ct)
    {
        _ = Task.Delay(delay, ct).ContinueWith(_ => Add(key), ct, TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    public async ValueTask<string> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            string key = await _ready.Reader.ReadAsync(ct).ConfigureAwait(false);
            lock (_lock)
            {
                if (_waiting.Remove(key))
                {
                    _active.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _active.Remove(key);
            if (_waiting.Contains(key))
                _ready.Writer.TryWrite(key);
        }
    }
}
