using System.Runtime.CompilerServices;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>
/// Gives this test process's thread pool room before any test runs. The harness blocks pool threads on purpose
/// (a backend process is killed and waited for, a client connects synchronously), and a router in this process
/// no longer adds pool threads of its own (on epoll its loops run everything), so the pool sat at its minimum:
/// with its few threads blocked it stopped for 0.5–1 s until it injected another, and every client of the test
/// with it. That showed up as 0.6–1.1 s "slowest requests" in the kill-under-load test that were the test's, not
/// the router's (with this floor: 34–47 ms in 10 runs).
/// </summary>
internal static class ThreadPoolFloor
{
    private const int Threads = 16;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Threads), Math.Max(io, Threads));
    }
}
