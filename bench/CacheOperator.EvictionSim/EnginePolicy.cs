using CacheOperator.Storage;

namespace CacheOperator.EvictionSim;

/// <summary>
/// The real storage engine driven read-through: get, and on a miss set a fixed-size value. Bounded by
/// bytes, not items, so it is calibrated to hold about the simulated policies' item count.
/// </summary>
internal sealed class EnginePolicy : IEvictionPolicy, IDisposable
{
    private const int KeyLength = 16;

    private readonly CacheStore _store;
    private readonly byte[] _key = new byte[KeyLength];
    private readonly byte[] _value;

    public EnginePolicy(long memoryLimitBytes, int valueSize, string keyPrefix = "trace:")
    {
        _store = new CacheStore(new CacheStoreOptions { MemoryLimitBytes = memoryLimitBytes, EnableCrawler = false });
        _value = new byte[valueSize];
        _value.AsSpan().Fill((byte)'x');
        System.Text.Encoding.ASCII.GetBytes(keyPrefix, _key);
        KeyPrefixLength = keyPrefix.Length;
    }

    public string Name => "CacheStore (engine)";

    public long Count => _store.GetStats().CurrentItems;

    private int KeyPrefixLength { get; }

    public CacheStoreStats Stats => _store.GetStats();

    public bool Access(int key)
    {
        ReadOnlySpan<byte> name = WriteKey(key);
        var reader = default(DiscardingReader);
        if (_store.TryGet(name, GetOptions.Default, ref reader))
            return true;
        _store.Store(name, new StoreRequest(StoreMode.Set, 0, 0), _value, out _);
        return false;
    }

    /// <summary>Inserts distinct keys that are never read, to measure how many items the memory holds.</summary>
    public long FillWithDistinctKeys(int count)
    {
        for (int i = 0; i < count; i++)
            _store.Store(WriteKey(i), new StoreRequest(StoreMode.Set, 0, 0), _value, out _);
        return _store.GetStats().CurrentItems;
    }

    public void Dispose() => _store.Dispose();

    private ReadOnlySpan<byte> WriteKey(int key)
    {
        // Zero-padded so every key has the same length, and so every item the same size.
        Span<byte> digits = _key.AsSpan(KeyPrefixLength);
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + key % 10);
            key /= 10;
        }
        return _key;
    }
}
