using System.Text;
using BenchmarkDotNet.Attributes;
using CacheOperator.Storage;

namespace CacheOperator.Benchmarks;

/// <summary>The engine alone: one operation per invocation, over 4096 32-byte keys in 64 MiB (no eviction).</summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int KeyCount = 4096;

    private CacheStore _store = null!;
    private byte[][] _keys = null!;
    private byte[][] _missingKeys = null!;
    private byte[] _value100 = null!;
    private byte[] _value1000 = null!;
    private StoreRequest _set;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = new CacheStore(new CacheStoreOptions { MemoryLimitBytes = 64L << 20, EnableCrawler = false });
        _keys = Enumerable.Range(0, KeyCount).Select(i => Encoding.ASCII.GetBytes($"key:{i:D28}")).ToArray();
        _missingKeys = Enumerable.Range(0, KeyCount).Select(i => Encoding.ASCII.GetBytes($"nil:{i:D28}")).ToArray();
        _value100 = new byte[100];
        _value1000 = new byte[1000];
        _set = new StoreRequest(StoreMode.Set, 0, 0);
        foreach (byte[] key in _keys)
            _store.Store(key, in _set, _value100, out _);
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark]
    public int GetHit()
    {
        LengthReader reader = default;
        _store.TryGet(NextKey(), GetOptions.Default, ref reader);
        return reader.Length;
    }

    [Benchmark]
    public bool GetMiss()
    {
        LengthReader reader = default;
        return _store.TryGet(_missingKeys[NextIndex()], GetOptions.Default, ref reader);
    }

    [Benchmark]
    public StoreResult Set100() => _store.Store(NextKey(), in _set, _value100, out _);

    [Benchmark]
    public StoreResult Set1000() => _store.Store(NextKey(), in _set, _value1000, out _);

    /// <summary>A delete needs an item to delete: this is delete + set; subtract <see cref="Set100"/> for the delete.</summary>
    [Benchmark]
    public StoreResult DeleteHitThenSet100()
    {
        byte[] key = NextKey();
        _store.Delete(key, default);
        return _store.Store(key, in _set, _value100, out _);
    }

    [Benchmark]
    public DeleteResult DeleteMiss() => _store.Delete(_missingKeys[NextIndex()], default);

    private byte[] NextKey() => _keys[NextIndex()];

    private int NextIndex() => _next = (_next + 1) & (KeyCount - 1);
}
