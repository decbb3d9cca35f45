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
}
