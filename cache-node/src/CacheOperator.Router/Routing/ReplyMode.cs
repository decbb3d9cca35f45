namespace CacheOperator.Router.Routing;

/// <summary>How the client wants the reply of one request.</summary>
internal enum ReplyMode : byte
{
    /// <summary>The backend's reply, as it is.</summary>
    Normal,

    /// <summary>Text noreply: nothing at all.</summary>
    NoReply,

    /// <summary>Meta q flag: only what the backend sends before the MN that bounds it.</summary>
    Quiet,
}
