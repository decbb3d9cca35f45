namespace CacheOperator.Router.Backends;

/// <summary>How a request to a backend ended.</summary>
internal enum ReplyStatus : byte
{
    /// <summary>Not answered yet.</summary>
    Pending,

    /// <summary>The backend answered; the reply bytes are in the buffer.</summary>
    Ok,

    /// <summary>Connection refused or reset, or the backend closed with the request in flight.</summary>
    Hard,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The backend is marked down; the request was not sent.</summary>
    Down,

    /// <summary>The backend sent bytes that do not frame as a reply.</summary>
    Protocol,
}
