namespace CacheOperator.EvictionSim;

/// <summary>
/// S3-FIFO (Yang et al., SOSP '23): new items enter a small FIFO (10% of the capacity); an item leaving
/// it is promoted to the main FIFO if it was read there at least <c>promoteAt</c> times, else it is
/// evicted and its key remembered in a ghost FIFO, from which a returning key goes straight to main.
/// Main is a FIFO with reinsertion: a 2-bit frequency, decremented on each pass over the tail.
/// </summary>
internal sealed class S3FifoPolicy : IEvictionPolicy
{
    private const int Small = 0;
    private const int Main = 1;
    private const byte MaxFrequency = 3;

    private readonly KeyLists _lists;
    private readonly byte[] _frequency;
    private readonly int _capacity;
    private readonly int _smallCapacity;
    private readonly int _mainCapacity;
    private readonly int _promoteAt;

    /// <summary>The ghost FIFO as a ring of keys; a key is a ghost while its stamp is within the ring's span.</summary>
    private readonly int[] _ghostRing;
    private readonly long[] _ghostStamp;
    private long _ghostSequence;

    public S3FifoPolicy(int keyCount, int capacity, int promoteAt = 1)
    {
        _capacity = capacity;
        _smallCapacity = Math.Max(1, capacity / 10);
        _mainCapacity = capacity - _smallCapacity;
        _promoteAt = promoteAt;
        _lists = new KeyLists(keyCount, 2);
        _frequency = new byte[keyCount];
        _ghostRing = new int[Math.Max(1, _mainCapacity)];
        _ghostStamp = new long[keyCount];
    }

    public string Name => "S3-FIFO";

    public long Count => _lists.Count(Small) + _lists.Count(Main);

    public bool Access(int key)
    {
        if (_lists.ListOf(key) != KeyLists.None)
        {
            if (_frequency[key] < MaxFrequency)
                _frequency[key]++;
            return true;
        }
        while (Count >= _capacity)
            Evict();
        _frequency[key] = 0;
        if (IsGhost(key))
        {
            _ghostStamp[key] = 0;
            _lists.PushHead(Main, key);
        }
        else
        {
            _lists.PushHead(Small, key);
        }
        return false;
    }

    private void Evict()
    {
        if (_lists.Count(Small) >= _smallCapacity || _lists.Count(Main) == 0)
            EvictSmall();
        else
            EvictMain();
    }

    private void EvictSmall()
    {
        while (_lists.Count(Small) > 0)
        {
            int tail = _lists.Tail(Small);
            _lists.Remove(tail);
            if (_frequency[tail] >= _promoteAt)
            {
                _lists.PushHead(Main, tail);
                if (_lists.Count(Main) > _mainCapacity)
                    EvictMain();
            }
            else
            {
                AddGhost(tail);
                return;
            }
        }
    }

    private void EvictMain()
    {
        while (_lists.Count(Main) > 0)
        {
            int tail = _lists.Tail(Main);
            if (_frequency[tail] > 0)
            {
                _frequency[tail]--;
                _lists.MoveToHead(Main, tail);
            }
            else
            {
                _lists.Remove(tail);
                return;
            }
        }
    }

    private bool IsGhost(int key)
    {
        long stamp = _ghostStamp[key];
        return stamp != 0 && _ghostSequence - stamp < _ghostRing.Length;
    }

    private void AddGhost(int key)
    {
        _ghostSequence++;
        _ghostRing[_ghostSequence % _ghostRing.Length] = key;
        _ghostStamp[key] = _ghostSequence;
    }
}
