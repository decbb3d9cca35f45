namespace CacheOperator.Protocol;

/// <summary>Every command of the memcached text and meta protocols the node answers.</summary>
public enum CommandType : byte
{
    /// <summary>A command name the protocol does not define (answered ERROR).</summary>
    Unknown,
    Get,
    Gets,
    Gat,
    Gats,
    Set,
    Add,
    Replace,
    Append,
    Prepend,
    Cas,
    Delete,
    Incr,
    Decr,
    Touch,
    FlushAll,
    Version,
    Verbosity,
    /// <summary>cache_memlimit: change the item memory limit at run time.</summary>
    CacheMemlimit,
    Stats,
    Quit,
    MetaGet,
    MetaSet,
    MetaDelete,
    MetaArithmetic,
    MetaNoop,
    MetaDebug,
    /// <summary>Refused, as memcached refuses it unless started with -A.</summary>
    Shutdown,
}
