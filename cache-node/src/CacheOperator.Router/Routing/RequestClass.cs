namespace CacheOperator.Router.Routing;

/// <summary>What a keyed request does to its shard, which decides where it may go when the shard is down.</summary>
internal enum RequestClass : byte
{
    /// <summary>get family, mg, me: one copy answers; a down shard reads from the gutter or misses.</summary>
    Read,

    /// <summary>Storage, arithmetic, touch, ms, ma: every live copy; a down shard writes to the gutter or fails.</summary>
    Write,

    /// <summary>delete, md: every live copy; down copies remember the delete for replay.</summary>
    Delete,
}
