namespace CacheOperator.Replication;

/// <summary>
/// Live progress of one stream, updated by the stream's task and read by the admin API at any time.
/// Counters only grow within a stream's life; a restart is counted, not hidden.
/// </summary>
public sealed class StreamProgress
{
    private long _items;
    private long _bytes;
    private long _logEntries;
    private long _lastSequence;
    private long _sourceSequence;
    private long _lagMilliseconds;
    private long _restarts;
    private long _overflows;
    private int _phase;

    public StreamProgress(string id, string role, string peer, BucketSet buckets)
    {
        Id = id;
        Role = role;
        Peer = peer;
        Buckets = buckets;
    }

    public string Id { get; }

    /// <summary>"source" (sending) or "target" (applying).</summary>
    public string Role { get; }

    /// <summary>The other side: the source's URL for a target, the target's address for a source.</summary>
    public string Peer { get; }

    public BucketSet Buckets { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public StreamPhase Phase
    {
        get => (StreamPhase)Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, (int)value);
    }

    /// <summary>Snapshot items sent (source) or applied (target) in the current attempt.</summary>
    public long Items => Interlocked.Read(ref _items);

    /// <summary>Bytes of snapshot and log frames sent or applied in the current attempt.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Log entries sent or applied.</summary>
    public long LogEntries => Interlocked.Read(ref _logEntries);

    /// <summary>The last log sequence applied (target) or logged (source).</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>The source's last logged sequence as the target last heard it.</summary>
    public long SourceSequence => Interlocked.Read(ref _sourceSequence);

    /// <summary>Log entries behind the source.</summary>
    public long LagEntries => Math.Max(0, SourceSequence - LastSequence);

    /// <summary>Age of the newest applied entry when behind; 0 when caught up.</summary>
    public long LagMilliseconds => Interlocked.Read(ref _lagMilliseconds);

    /// <summary>Times the stream started over (broken connection, overflow, either side restarted).</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>Times the source's log outgrew its budget.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Bytes waiting in the source's log (source only).</summary>
    public long PendingLogBytes { get; set; }

    public string? LastError { get; set; }

    internal void AddItem(long bytes)
    {
        Interlocked.Increment(ref _items);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void AddLogEntry(long sequence, long bytes, long lagMilliseconds)
    {
        Interlocked.Increment(ref _logEntries);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Exchange(ref _lastSequence, sequence);
        Interlocked.Exchange(ref _lagMilliseconds, lagMilliseconds);
    }

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void SetLastSequence(long sequence) => Interlocked.Exchange(ref _lastSequence, sequence);

    internal void SetSourceSequence(long sequence)
    {
        Interlocked.Exchange(ref _sourceSequence, sequence);
        if (LastSequence >= sequence)
            Interlocked.Exchange(ref _lagMilliseconds, 0);
    }

    internal void CountRestart(string reason)
    {
        Interlocked.Increment(ref _restarts);
        LastError = reason;
        Interlocked.Exchange(ref _items, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _lastSequence, 0);
        Interlocked.Exchange(ref _sourceSequence, 0);
        Phase = StreamPhase.Restarting;
    }

    internal void CountOverflow() => Interlocked.Increment(ref _overflows);
}
