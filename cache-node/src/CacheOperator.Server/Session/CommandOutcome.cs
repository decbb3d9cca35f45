namespace CacheOperator.Server.Session;

/// <summary>What the session loop does after one command.</summary>
internal enum CommandOutcome : byte
{
    /// <summary>Answered; go on with the next request.</summary>
    Done,
    /// <summary>The command's data block is not all here; keep the line unconsumed and wait.</summary>
    NeedMoreData,
    /// <summary>Close the connection after flushing (quit).</summary>
    Close,
    /// <summary>
    /// Answered in part (a multi-get whose reply outgrew the flush threshold): keep the line unconsumed, flush,
    /// and come back to it; the session remembers where to go on.
    /// </summary>
    Suspended,
}
