using CacheOperator.Protocol;
namespace CacheOperator.Server.Observability;

/// <summary>Label values for <see cref="CommandType"/> and <see cref="CommandResult"/>: memcached's own command names.</summary>
internal static class CommandLabels
{
    public static readonly int KindCount = Enum.GetValues<CommandType>().Length;

    public static readonly int ResultCount = Enum.GetValues<CommandResult>().Length;

    public static string Of(CommandType kind) => kind switch
    {
        CommandType.Get => "get",
        CommandType.Gets => "gets",
        CommandType.Gat => "gat",
        CommandType.Gats => "gats",
        CommandType.Set => "set",
        CommandType.Add => "add",
        CommandType.Replace => "replace",
        CommandType.Append => "append",
        CommandType.Prepend => "prepend",
        CommandType.Cas => "cas",
        CommandType.Delete => "delete",
        CommandType.Incr => "incr",
        CommandType.Decr => "decr",
        CommandType.Touch => "touch",
        CommandType.FlushAll => "flush_all",
        CommandType.Version => "version",
        CommandType.Verbosity => "verbosity",
        CommandType.CacheMemlimit => "cache_memlimit",
        CommandType.Shutdown => "shutdown",
        CommandType.Stats => "stats",
        CommandType.Quit => "quit",
        CommandType.MetaGet => "mg",
        CommandType.MetaSet => "ms",
        CommandType.MetaDelete => "md",
        CommandType.MetaArithmetic => "ma",
        CommandType.MetaNoop => "mn",
        CommandType.MetaDebug => "me",
        _ => "unknown",
    };

    public static string Of(CommandResult result) => result switch
    {
        CommandResult.Hit => "hit",
        CommandResult.Miss => "miss",
        CommandResult.Stored => "stored",
        CommandResult.NotStored => "not_stored",
        CommandResult.Exists => "exists",
        CommandResult.NotFound => "not_found",
        CommandResult.Deleted => "deleted",
        CommandResult.Touched => "touched",
        CommandResult.Ok => "ok",
        CommandResult.ClientError => "client_error",
        _ => "server_error",
    };

    /// <summary>
    /// The results a command normally ends with; their series are created up front so they read 0 before the
    /// first event (Prometheus' advice for known label sets). Others appear on first use.
    /// </summary>
    public static ReadOnlySpan<CommandResult> Expected(CommandType kind) => kind switch
    {
        CommandType.Get or CommandType.Gets or CommandType.Gat or CommandType.Gats or CommandType.MetaGet
            => [CommandResult.Hit, CommandResult.Miss],
        CommandType.Set or CommandType.Add or CommandType.Replace or CommandType.Append or CommandType.Prepend
            or CommandType.MetaSet => [CommandResult.Stored, CommandResult.NotStored],
        CommandType.Cas => [CommandResult.Stored, CommandResult.Exists, CommandResult.NotFound],
        CommandType.Delete or CommandType.MetaDelete => [CommandResult.Deleted, CommandResult.NotFound],
        CommandType.Incr or CommandType.Decr => [CommandResult.Hit, CommandResult.Miss],
        CommandType.MetaArithmetic => [CommandResult.Hit, CommandResult.NotFound],
        CommandType.Touch => [CommandResult.Touched, CommandResult.NotFound],
        CommandType.FlushAll => [CommandResult.Ok],
        _ => [],
    };

    /// <summary>Whether a command's latency histogram is created up front (the data commands).</summary>
    public static bool IsDataCommand(CommandType kind) => !Expected(kind).IsEmpty;
}
