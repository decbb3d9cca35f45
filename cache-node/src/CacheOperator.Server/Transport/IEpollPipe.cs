using System.IO.Pipelines;

namespace CacheOperator.Server.Transport;

/// <summary>
/// A socket served by an <see cref="EpollLoop"/>: its reader and writer, used on the loop's thread only. The
/// loop's events complete their waits there, inline.
/// </summary>
public interface IEpollPipe : IDuplexPipe
{
    /// <summary>The loop that serves the socket.</summary>
    EpollLoop Loop { get; }

    /// <summary>Ends the connection now: a waiting read sees the end, a waiting flush completes, nothing more is sent.</summary>
    void Abort();

    /// <summary>Stops watching the socket; the owner then shuts it down and disposes it.</summary>
    void Detach();
}
