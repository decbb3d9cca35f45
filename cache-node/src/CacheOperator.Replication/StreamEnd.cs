namespace CacheOperator.Replication;

/// <summary>Why a target stopped reading a stream.</summary>
public enum StreamEnd
{
    /// <summary>The caller cancelled (stop, promote).</summary>
    Stopped,
    /// <summary>The source closed the stream without a reason (it restarted, or the network broke).</summary>
    EndOfStream,
    /// <summary>The source asked for a fresh start (its log overflowed).</summary>
    RestartRequested,
}
