namespace CacheOperator.EvictionSim;

/// <summary>
/// Several doubly linked lists over one key space, in flat arrays indexed by key: a key is in at most
/// one list, so a handful of int arrays replace a node object per item and a hash map. Head is newest.
/// </summary>
internal sealed class KeyLists
{
    public const int None = -1;

    /// <summary>Toward the head (newer).</summary>
    private readonly int[] _newer;

    /// <summary>Toward the tail (older).</summary>
    private readonly int[] _older;

    /// <summary>1 + the list a key is in; 0 when in none.</summary>
    private readonly byte[] _listOf;

    private readonly int[] _head;
    private readonly int[] _tail;
    private readonly int[] _count;

    public KeyLists(int keyCount, int listCount)
    {
        _newer = new int[keyCount];
        _older = new int[keyCount];
        _listOf = new byte[keyCount];
        _head = new int[listCount];
        _tail = new int[listCount];
        _count = new int[listCount];
        Array.Fill(_head, None);
        Array.Fill(_tail, None);
    }

    /// <summary>The list holding the key, or <see cref="None"/>.</summary>
    public int ListOf(int key) => _listOf[key] - 1;

    public int Count(int list) => _count[list];

    public int Tail(int list) => _tail[list];

    /// <summary>The next key toward the head, or <see cref="None"/> at the head.</summary>
    public int Newer(int key) => _newer[key];

    public void PushHead(int list, int key)
    {
        int head = _head[list];
        _older[key] = head;
        _newer[key] = None;
        if (head != None)
            _newer[head] = key;
        else
            _tail[list] = key;
        _head[list] = key;
        _listOf[key] = (byte)(list + 1);
        _count[list]++;
    }

    public void Remove(int key)
    {
        int list = _listOf[key] - 1;
        int newer = _newer[key];
        int older = _older[key];
        if (newer != None)
            _older[newer] = older;
        else
            _head[list] = older;
        if (older != None)
            _newer[older] = newer;
        else
            _tail[list] = newer;
        _listOf[key] = 0;
        _count[list]--;
    }

    public void MoveToHead(int list, int key)
    {
        Remove(key);
        PushHead(list, key);
    }
}
