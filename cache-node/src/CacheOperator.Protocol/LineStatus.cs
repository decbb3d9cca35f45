namespace CacheOperator.Protocol;

/// <summary>What <see cref="RequestParser.TryReadLine"/> found in the buffer.</summary>
public enum LineStatus : byte
{
    /// <summary>A whole line, terminated by a newline.</summary>
    Complete,
    /// <summary>No newline yet; wait for more bytes.</summary>
    Incomplete,
    /// <summary>No newline within the allowed length: the client is not speaking the protocol.</summary>
    TooLong,
}
