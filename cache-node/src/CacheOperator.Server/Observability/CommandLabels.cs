namespace CacheOperator.Server.Observability;

/// <summary>Label values for <see cref="CommandKind"/> and <see cref="CommandResult"/>: memcached's own command names.</summary>
internal static class CommandLabels
{
    public static readonly int KindCount = Enum.GetValues<CommandKind>().Length;

    public static readonly int ResultCount = Enum.GetValues<CommandResult>().Length;

    public static string Of(CommandKind kind) => kind switch
    {
        CommandKind.Get => "get",
        CommandKind.Gets => "gets",
        CommandKind.Gat => "gat",
        CommandKind.Gats => "gats",
        CommandKind.Set => "set",
        CommandKind.Add => "add",
        CommandKind.Replace => "replace",
        CommandKind.Append => "append",
        CommandKind.Prepend => "prepend",
        CommandKind.Cas => "cas",
        CommandKind.Delete => "delete",
        CommandKind.Incr => "incr",
        CommandKind.Decr => "decr",
        CommandKind.Touch => "touch",
        CommandKind.FlushAll => "flush_all",
        CommandKind.Version => "version",
        CommandKind.Verbosity => "verbosity",
        CommandKind.Stats => "stats",
        CommandKind.Quit => "quit",
        CommandKind.MetaGet => "mg",
        CommandKind.MetaSet => "ms",
        CommandKind.MetaDelete => "md",
        CommandKind.MetaArithmetic => "ma",
        CommandKind.MetaNoop => "mn",
        CommandKind.MetaDebug => "me",
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
    public static ReadOnlySpan<CommandResult> Expected(CommandKind kind) => kind switch
    {
        CommandKind.Get or CommandKind.Gets or CommandKind.Gat or CommandKind.Gats or CommandKind.MetaGet
            => [CommandResult.Hit, CommandResult.Miss],
        CommandKind.Set or CommandKind.Add or CommandKind.Replace or CommandKind.Append or CommandKind.Prepend
            or CommandKind.MetaSet => [CommandResult.Stored, CommandResult.NotStored],
        CommandKind.Cas => [CommandResult.Stored, CommandResult.Exists, CommandResult.NotFound],
        CommandKind.Delete or CommandKind.MetaDelete => [CommandResult.Deleted, CommandResult.NotFound],
        CommandKind.Incr or CommandKind.Decr => [CommandResult.Hit, CommandResult.Miss],
        CommandKind.MetaArithmetic => [CommandResult.Hit, CommandResult.NotFound],
        CommandKind.Touch => [CommandResult.Touched, CommandResult.NotFound],
        CommandKind.FlushAll => [CommandResult.Ok],
        _ => [],
    };

    /// <summary>Whether a command's latency histogram is created up front (the data commands).</summary>
    public static bool IsDataCommand(CommandKind kind) => !Expected(kind).IsEmpty;
}
