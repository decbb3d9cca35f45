namespace CacheOperator.Router.Backends;

/// <summary>How a backend's reply to one request is framed, so replies can be matched to requests in order.</summary>
internal enum ReplyKind : byte
{
    /// <summary>One line (storage, delete, arithmetic, touch, flush_all, verbosity, mn, me).</summary>
    Line,

    /// <summary>VALUE blocks then END, or one error line (get, gets, gat, gats).</summary>
    Retrieval,

    /// <summary>One meta line, followed by a data block when it starts with VA (mg, ms, md, ma).</summary>
    Meta,

    /// <summary>
    /// Everything up to an MN line: a quiet or noreply request is sent followed by <c>mn</c>, so whatever the
    /// backend chose to say (or not) is bounded by the MN and replies stay matched.
    /// </summary>
    UntilNoop,
}
