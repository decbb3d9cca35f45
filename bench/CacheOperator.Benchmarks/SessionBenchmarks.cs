using System.Text;
using BenchmarkDotNet.Attributes;
using CacheOperator.Storage;

namespace CacheOperator.Benchmarks;

/// <summary>
/// Request bytes in, reply bytes out, through a real session over in-memory pipes (no socket): one request per
/// write as a depth-1 client sends, and a pipelined write of 16 gets as a depth-16 client sends. Values 100 B.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private const int KeyCount = 1024;

    private CacheStore _store = null!;
    private InMemorySession _session = null!;
    private byte[][] _gets = null!;
    private byte[][] _sets = null!;
    private byte[][] _metaGets = null!;
    private byte[][] _getBatches = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = new CacheStore(new CacheStoreOptions { MemoryLimitBytes = 64L << 20, EnableCrawler = false });
        _session = new InMemorySession(_store);
        string value = new('v', 100);
        _gets = Requests(i => $"get key:{i:D28}\r\n");
        _sets = Requests(i => $"set key:{i:D28} 0 0 100\r\n{value}\r\n");
        _metaGets = Requests(i => $"mg key:{i:D28} v f t c\r\n");
        _getBatches = Requests(i => string.Concat(Enumerable.Range(0, 16).Select(j => $"get key:{(i + j * 61) % KeyCount:D28}\r\n")));

        _session.WaitUntilInline();
        foreach (byte[] set in _sets)
            Send(set);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
    }

    [Benchmark]
    public long GetHit() => Send(_gets[NextIndex()]);

    [Benchmark]
    public long Set100() => Send(_sets[NextIndex()]);

    [Benchmark]
    public long MetaGetHit() => Send(_metaGets[NextIndex()]);

    [Benchmark(OperationsPerInvoke = 16)]
    public long PipelinedBatch16Gets() => Send(_getBatches[NextIndex()]);

    private long Send(byte[] request)
    {
        if (!_session.Send(request))
            throw new InvalidOperationException("the session did not answer inline");
        return _session.Drain();
    }

    private static byte[][] Requests(Func<int, string> text)
        => Enumerable.Range(0, KeyCount).Select(i => Encoding.ASCII.GetBytes(text(i))).ToArray();

    private int NextIndex() => _next = (_next + 1) & (KeyCount - 1);
}
