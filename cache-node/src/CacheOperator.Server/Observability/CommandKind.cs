namespace CacheOperator.Server.Observability;

/// <summary>Every command the node answers, for metrics and stats.</summary>
public enum CommandKind
{
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
    Stats,
    Quit,
    MetaGet,
    MetaSet,
    MetaDelete,
    MetaArithmetic,
    MetaNoop,
    MetaDebug,
    /// <summary>A line that names no command (answered ERROR).</summary>
    Unknown,
}
