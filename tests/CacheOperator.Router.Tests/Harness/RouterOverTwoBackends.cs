using CacheOperator.Ring;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>
/// The router executable in front of one of our nodes and one Debian memcached (a two-shard ring), shared by the
/// tests of a class. Dispose kills all three processes whatever happened.
/// </summary>
public sealed class RouterOverTwoBackends : IDisposable
{
    private readonly BackendProcess _node;
    private readonly BackendProcess _memcached;
    private readonly string? _directory;
    private readonly RouterProcess _router;
    private readonly Lazy<Task<MemccapableRun>> _memccapable;

    public RouterOverTwoBackends()
    {
        _node = BackendProcess.Node();
        try
        {
            _directory = Directory.CreateTempSubdirectory("router-memccapable-").FullName;
            _memcached = BackendProcess.Memcached();
            var ringFile = Path.Combine(_directory, "ring.json");
            Ring = RingFactory.Ring(1,
                [RingFactory.Pool("main", [], [_node.Address, _memcached.Address])],
                // A freshly started node compiles its request path on first use: a tight timeout would trip on that.
                heartbeat: new HeartbeatSettings(500, 2000, 3));
            File.WriteAllBytes(ringFile, RingFactory.Json(Ring));
            _router = new RouterProcess(ringFile);
            _memccapable = new(() => Memccapable.RunAsync(_router.Port));
        }
        catch
        {
            _memcached?.Dispose();
            _node.Dispose();
            if (_directory is not null)
                Directory.Delete(_directory, recursive: true);
            throw;
        }
    }

    public int RouterPort => _router.Port;

    /// <summary>The ring the router reads: shard 0 is our node, shard 1 memcached.</summary>
    public CacheRing Ring { get; } = null!;

    /// <summary>The router process's resident set in KiB (null once it has exited).</summary>
    public long? ReadRouterRssKilobytes() => _router.ReadRssKilobytes();

    /// <summary>One whole <c>memccapable -a</c> run through the router, made on first use and shared.</summary>
    internal Task<MemccapableRun> MemccapableRun => _memccapable.Value;

    public void Dispose()
    {
        _router.Dispose();
        _memcached.Dispose();
        _node.Dispose();
        Directory.Delete(_directory!, recursive: true);
    }
}
