namespace CacheOperator.Router.Backends;

/// <summary>Whether a whole reply is in the received bytes.</summary>
internal enum FrameResult : byte
{
    Complete,
    Incomplete,

    /// <summary>The bytes cannot be a reply of the expected kind: the connection is out of step.</summary>
    Invalid,
}
