namespace CacheOperator.LoadGen;

/// <summary>What one reply said.</summary>
internal enum ReplyOutcome
{
    Stored,
    Hit,
    Miss,
    WrongValue,
    Error,
}
