namespace CacheOperator.Server.Observability;

/// <summary>How a command (or, for multi-key gets, one key of it) ended.</summary>
public enum CommandResult
{
    Hit,
    Miss,
    Stored,
    NotStored,
    Exists,
    NotFound,
    Deleted,
    Touched,
    Ok,
    ClientError,
    ServerError,
}
