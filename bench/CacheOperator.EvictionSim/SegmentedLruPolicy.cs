namespace CacheOperator.EvictionSim;

/// <summary>
/// memcached 1.6's segmented LRU (items.c, lru_pull_tail), by count: new items enter HOT (20%); a read
/// never reorders HOT or WARM, it only marks the item (first read: fetched, second: active). HOT's tail
/// goes to WARM if active, else to COLD when HOT is over its share; WARM (40%) bumps an active tail
/// within itself and demotes an idle one to COLD when over its share; an active item in COLD is moved
/// to WARM at once (memcached does it asynchronously); evictions take COLD's tail. The age limits
/// (hot_max_factor, warm_max_factor) and the background thread's timing are not modelled.
/// </summary>
internal sealed class SegmentedLruPolicy : IEvictionPolicy
{
    private const int Hot = 0;
    private const int Warm = 1;
    private const int Cold = 2;

    private readonly KeyLists _lists;
    private readonly bool[] _fetched;
    private readonly bool[] _active;
    private readonly int _capacity;
    private readonly int _hotLimit;
    private readonly int _warmLimit;

    public SegmentedLruPolicy(int keyCount, int capacity)
    {
        _lists = new KeyLists(keyCount, 3);
        _fetched = new bool[keyCount];
        _active = new bool[keyCount];
        _capacity = capacity;
        _hotLimit = Math.Max(1, capacity * 20 / 100);
        _warmLimit = Math.Max(1, capacity * 40 / 100);
    }

    public string Name => "Segmented LRU (memcached)";

    public long Count => _lists.Count(Hot) + _lists.Count(Warm) + _lists.Count(Cold);

    public bool Access(int key)
    {
        int list = _lists.ListOf(key);
        if (list != KeyLists.None)
        {
            if (!_fetched[key])
            {
                _fetched[key] = true;
            }
            else if (!_active[key])
            {
                _active[key] = true;
                if (list == Cold)
                    _lists.MoveToHead(Warm, key);
            }
            return true;
        }

        if (Count >= _capacity)
            EvictOne();
        _fetched[key] = false;
        _active[key] = false;
        _lists.PushHead(Hot, key);
        Juggle();
        return false;
    }

    private void EvictOne()
    {
        int victim = _lists.Tail(Cold);
        if (victim == KeyLists.None)
            victim = _lists.Tail(Hot) != KeyLists.None ? _lists.Tail(Hot) : _lists.Tail(Warm);
        _lists.Remove(victim);
    }

    /// <summary>What memcached's LRU maintainer does in the background, done at once after each insert.</summary>
    private void Juggle()
    {
        for (int budget = _lists.Count(Hot) + 1; budget > 0; budget--)
        {
            int tail = _lists.Tail(Hot);
            if (tail == KeyLists.None)
                break;
            if (_active[tail])
            {
                _active[tail] = false;
                _lists.MoveToHead(Warm, tail);
            }
            else if (_lists.Count(Hot) > _hotLimit)
            {
                _lists.MoveToHead(Cold, tail);
            }
            else
            {
                break;
            }
        }
        for (int budget = _lists.Count(Warm) + 1; budget > 0; budget--)
        {
            int tail = _lists.Tail(Warm);
            if (tail == KeyLists.None)
                break;
            if (_active[tail])
            {
                _active[tail] = false;
                _lists.MoveToHead(Warm, tail);
            }
            else if (_lists.Count(Warm) > _warmLimit)
            {
                _lists.MoveToHead(Cold, tail);
            }
            else
            {
                break;
            }
        }
    }
}
