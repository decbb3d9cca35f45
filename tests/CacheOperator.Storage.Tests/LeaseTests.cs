using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

/// <summary>The meta protocol's lease flags: one winner recaches, the others see Z (and X when stale).</summary>
public sealed class LeaseTests : IDisposable
{
    private readonly CacheStore _store = NewStore();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Vivify_OnMiss_FirstReaderWins_SecondSeesAlreadyWon()
    {
        GetOptions vivify = new() { Vivify = true, VivifyExptime = 30 };
        Snapshot first = _store.Get("k", vivify)!;
        Assert.Equal(LeaseFlags.Won, first.Lease);
        Assert.Equal("", first.Value);
        Assert.Equal(30, first.TimeToLive);
        Assert.Equal(LeaseFlags.AlreadyWon, _store.Get("k", vivify)!.Lease);
    }

    [Fact]
    public void Vivify_IsNotNeededOnHit()
    {
        _store.Set("k", "v");
        Assert.Equal(LeaseFlags.None, _store.Get("k", new GetOptions { Vivify = true, VivifyExptime = 30 })!.Lease);
    }

    [Fact]
    public void Invalidate_MarksStale_NextReaderWins_ThenOthersSeeStaleAndAlreadyWon()
    {
        _store.Set("k", "v");
        ulong cas = _store.Get("k")!.Cas;
        Assert.Equal(DeleteResult.Deleted, _store.Delete(B("k"), new DeleteRequest { Invalidate = true, InvalidateExptime = 30 }));
        Snapshot winner = _store.Get("k")!;
        Assert.Equal("v", winner.Value);
        Assert.Equal(LeaseFlags.Stale | LeaseFlags.Won, winner.Lease);
        Assert.NotEqual(cas, winner.Cas);
        Assert.Equal(30, winner.TimeToLive);
        Assert.Equal(LeaseFlags.Stale | LeaseFlags.AlreadyWon, _store.Get("k")!.Lease);
    }

    [Fact]
    public void StoreWithInvalidate_AndOlderCas_StoresButStaysStale()
    {
        _store.Set("k", "v");
        _store.Delete(B("k"), new DeleteRequest { Invalidate = true });
        _store.Get("k");
        StoreRequest late = new(StoreMode.Set, 0, 0) { CompareCas = 1, Invalidate = true };
        Assert.Equal(StoreResult.Stored, _store.Store(B("k"), late, B("late"), out _));
        Snapshot item = _store.Get("k")!;
        Assert.Equal("late", item.Value);
        Assert.Equal(LeaseFlags.Stale | LeaseFlags.AlreadyWon, item.Lease);
    }

    [Fact]
    public void PlainSet_ClearsStaleness()
    {
        _store.Set("k", "v");
        _store.Delete(B("k"), new DeleteRequest { Invalidate = true });
        _store.Set("k", "fresh");
        Assert.Equal(LeaseFlags.None, _store.Get("k")!.Lease);
    }

    [Fact]
    public void Recache_WinsOnceWhenTtlBelowThreshold_NeverForItemsWithoutExpiry()
    {
        _store.Set("short", "v", exptime: 10);
        _store.Set("forever", "v");
        GetOptions recache = new() { RecacheBelowSeconds = 30 };
        Assert.Equal(LeaseFlags.Won, _store.Get("short", recache)!.Lease);
        Assert.Equal(LeaseFlags.AlreadyWon, _store.Get("short", recache)!.Lease);
        Assert.Equal(LeaseFlags.None, _store.Get("forever", recache)!.Lease);
    }
}
