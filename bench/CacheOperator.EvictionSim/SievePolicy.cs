namespace CacheOperator.EvictionSim;

/// <summary>
/// SIEVE (Zhang et al., NSDI '24): a FIFO with one visited bit per item; a hit only sets the bit. The
/// hand walks from the tail toward the head clearing bits and evicts the first unvisited item, then
/// stays where it stopped, so survivors keep their place instead of moving to the head.
/// </summary>
internal sealed class SievePolicy(int keyCount, int capacity) : IEvictionPolicy
{
    private readonly KeyLists _lists = new(keyCount, 1);
    private readonly bool[] _visited = new bool[keyCount];
    private int _hand = KeyLists.None;

    public string Name => "SIEVE";

    public long Count => _lists.Count(0);

    public bool Access(int key)
    {
        if (_lists.ListOf(key) == 0)
        {
            _visited[key] = true;
            return true;
        }
        if (_lists.Count(0) >= capacity)
            Evict();
        _lists.PushHead(0, key);
        _visited[key] = false;
        return false;
    }

    private void Evict()
    {
        int hand = _hand == KeyLists.None ? _lists.Tail(0) : _hand;
        while (_visited[hand])
        {
            _visited[hand] = false;
            hand = _lists.Newer(hand);
            if (hand == KeyLists.None)
                hand = _lists.Tail(0);
        }
        _hand = _lists.Newer(hand);
        _lists.Remove(hand);
    }
}
