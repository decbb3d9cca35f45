using System.Runtime.CompilerServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// What <see cref="EpollLoop.SwitchTo"/> returns: awaited, the code after it runs on the loop's thread. Code that
/// awaited something another thread completes (a failure, a timer) comes back this way before it touches the
/// loop's connections again.
/// </summary>
public readonly struct LoopSwitch : ICriticalNotifyCompletion
{
    private readonly EpollLoop _loop;

    internal LoopSwitch(EpollLoop loop) => _loop = loop;

    public LoopSwitch GetAwaiter() => this;

    public bool IsCompleted => _loop.MayRunHere;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => _loop.Post(continuation);

    public void UnsafeOnCompleted(Action continuation) => _loop.Post(continuation);
}
