namespace CacheOperator.EvictionSim;

/// <summary>Exact LRU: every hit moves the item to the head; the tail is evicted.</summary>
internal sealed class LruPolicy(int keyCount, int capacity) : IEvictionPolicy
{
    private readonly KeyLists _lists = new(keyCount, 1);

    public string Name => "LRU";

    public long Count => _lists.Count(0);

    public bool Access(int key)
    {
        if (_lists.ListOf(key) == 0)
        {
            _lists.MoveToHead(0, key);
            return true;
        }
        if (_lists.Count(0) >= capacity)
            _lists.Remove(_lists.Tail(0));
        _lists.PushHead(0, key);
        return false;
    }
}
