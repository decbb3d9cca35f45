using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

public sealed class CacheStoreCommandTests : IDisposable
{
    private readonly CacheClock _clock = new();
    private readonly CacheStore _store;

    public CacheStoreCommandTests() => _store = NewStore(clock: _clock);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Get_AfterSet_ReturnsValueAndFlags()
    {
        Assert.Equal(StoreResult.Stored, _store.Set("k", "hello", flags: 42));
        Snapshot? item = _store.Get("k");
        Assert.NotNull(item);
        Assert.Equal("hello", item.Value);
        Assert.Equal(42u, item.Flags);
        Assert.Equal(-1, item.TimeToLive);
    }

    [Fact]
    public void Set_ReplacesValue_AndGivesNewCas()
    {
        _store.Set("k", "one");
        ulong first = _store.Get("k")!.Cas;
        _store.Set("k", "two");
        Snapshot item = _store.Get("k")!;
        Assert.Equal("two", item.Value);
        Assert.NotEqual(first, item.Cas);
        Assert.Equal(1, _store.GetStats().CurrentItems);
    }

    [Fact]
    public void Add_OnExisting_IsNotStored_OnMissing_Stores()
    {
        Assert.Equal(StoreResult.Stored, _store.Put(StoreMode.Add, "k", "a"));
        Assert.Equal(StoreResult.NotStored, _store.Put(StoreMode.Add, "k", "b"));
        Assert.Equal("a", _store.GetValue("k"));
    }

    [Fact]
    public void Replace_OnMissing_IsNotStored()
    {
        Assert.Equal(StoreResult.NotStored, _store.Put(StoreMode.Replace, "k", "a"));
        _store.Set("k", "a");
        Assert.Equal(StoreResult.Stored, _store.Put(StoreMode.Replace, "k", "b"));
        Assert.Equal("b", _store.GetValue("k"));
    }

    [Fact]
    public void Cas_MatchStores_MismatchIsExists_MissingIsNotFound()
    {
        Assert.Equal(StoreResult.NotFound, _store.Put(StoreMode.Cas, "k", "x", compareCas: 5));
        _store.Set("k", "a");
        ulong cas = _store.Get("k")!.Cas;
        Assert.Equal(StoreResult.Exists, _store.Put(StoreMode.Cas, "k", "b", compareCas: cas + 100));
        Assert.Equal(StoreResult.Stored, _store.Put(StoreMode.Cas, "k", "c", compareCas: cas));
        Assert.Equal("c", _store.GetValue("k"));
    }

    [Fact]
    public void AppendAndPrepend_KeepFlagsAndExpiry()
    {
        _store.Set("k", "mid", flags: 7, exptime: 100);
        Assert.Equal(StoreResult.Stored, _store.Put(StoreMode.Append, "k", ">>"));
        Assert.Equal(StoreResult.Stored, _store.Put(StoreMode.Prepend, "k", "<<"));
        Snapshot item = _store.Get("k")!;
        Assert.Equal("<<mid>>", item.Value);
        Assert.Equal(7u, item.Flags);
        Assert.InRange(item.TimeToLive, 99, 100);
        Assert.Equal(StoreResult.NotStored, _store.Put(StoreMode.Append, "missing", "x"));
    }

    [Fact]
    public void Get_AfterRelativeExpiry_ReturnsMiss()
    {
        _store.Set("k", "v", exptime: 10);
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(_store.Get("k"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(_store.Get("k"));
        Assert.Equal(0, _store.GetStats().CurrentItems);
    }

    [Fact]
    public void Set_WithNegativeExptime_IsImmediatelyExpired()
    {
        Assert.Equal(StoreResult.Stored, _store.Set("k", "v", exptime: -1));
        Assert.Null(_store.Get("k"));
    }

    [Fact]
    public void Set_WithAbsoluteExptime_UsesUnixTime()
    {
        long inTwentySeconds = _clock.UnixSeconds + 20;
        _store.Set("future", "v", exptime: inTwentySeconds);
        _store.Set("past", "v", exptime: _clock.UnixSeconds - 5);
        Assert.InRange(_store.Get("future")!.TimeToLive, 19, 20);
        Assert.Null(_store.Get("past"));
    }

    [Fact]
    public void Touch_ExtendsLife()
    {
        _store.Set("k", "v", exptime: 5);
        Assert.True(_store.Touch(B("k"), 100));
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(_store.Get("k"));
        Assert.False(_store.Touch(B("missing"), 100));
    }

    [Fact]
    public void GetAndTouch_ReturnsValueAndSetsNewExpiry()
    {
        _store.Set("k", "v", exptime: 5);
        Snapshot item = _store.Get("k", new GetOptions { Touch = true, TouchExptime = 300 })!;
        Assert.InRange(item.TimeToLive, 299, 300);
    }

    [Fact]
    public void Delete_RemovesItem_AndHonoursCompareCas()
    {
        _store.Set("k", "v");
        ulong cas = _store.Get("k")!.Cas;
        Assert.Equal(DeleteResult.Exists, _store.Delete(B("k"), new DeleteRequest { CompareCas = cas + 1 }));
        Assert.Equal(DeleteResult.Deleted, _store.Delete(B("k"), new DeleteRequest { CompareCas = cas }));
        Assert.Equal(DeleteResult.NotFound, _store.Delete(B("k"), default));
        Assert.Null(_store.Get("k"));
    }

    [Fact]
    public void FlushAll_InvalidatesEverythingStoredBefore()
    {
        _store.Set("a", "1");
        _store.Set("b", "2");
        _store.FlushAll();
        Assert.Null(_store.Get("a"));
        _store.Set("c", "3");
        Assert.Equal("3", _store.GetValue("c"));
        Assert.Null(_store.Get("b"));
    }

    [Fact]
    public void FlushAll_WithDelay_TakesEffectLater_AndSparesLaterWrites()
    {
        _store.Set("a", "1");
        _store.FlushAll(10);
        Assert.Equal("1", _store.GetValue("a"));
        _clock.Advance(TimeSpan.FromSeconds(11));
        _store.Set("b", "2");
        Assert.Null(_store.Get("a"));
        Assert.Equal("2", _store.GetValue("b"));
    }

    [Fact]
    public void Crawl_ReclaimsExpiredItems_WithoutAnyRead()
    {
        for (int i = 0; i < 1000; i++)
            _store.Set($"k{i}", "v", exptime: i % 2 == 0 ? 5 : 0);
        _clock.Advance(TimeSpan.FromSeconds(6));
        _store.Crawl();
        CacheStoreStats stats = _store.GetStats();
        Assert.Equal(500, stats.CurrentItems);
        Assert.Equal(500, stats.Reclaimed);
        Assert.Equal(500, stats.ExpiredUnfetched);
    }

    [Theory]
    [InlineData("10", true, 5UL, "15", 15UL)]
    [InlineData("10", false, 5UL, "5 ", 5UL)]
    [InlineData("5", false, 100UL, "0", 0UL)]
    [InlineData("18446744073709551615", true, 2UL, "1                   ", 1UL)]
    [InlineData("99", true, 1UL, "100", 100UL)]
    [InlineData("  7  ", true, 1UL, "8    ", 8UL)]
    public void Arithmetic_FollowsMemcachedRules(string initial, bool increment, ulong delta, string stored, ulong expected)
    {
        _store.Set("n", initial);
        Assert.Equal(ArithmeticResult.Ok, _store.Arithmetic(B("n"), new ArithmeticRequest(increment, delta), out ArithmeticOutcome outcome));
        Assert.Equal(expected, outcome.Value);
        Assert.Equal(stored, _store.GetValue("n"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("12a")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    public void Arithmetic_OnNonNumericValue_IsRejected(string value)
    {
        _store.Set("n", value);
        Assert.Equal(ArithmeticResult.NonNumeric, _store.Arithmetic(B("n"), new ArithmeticRequest(true, 1), out _));
    }

    [Fact]
    public void Arithmetic_OnMissing_IsNotFound_UnlessVivified()
    {
        Assert.Equal(ArithmeticResult.NotFound, _store.Arithmetic(B("n"), new ArithmeticRequest(true, 1), out _));
        ArithmeticRequest vivify = new(true, 1) { Vivify = true, InitialValue = 10 };
        Assert.Equal(ArithmeticResult.Ok, _store.Arithmetic(B("n"), vivify, out ArithmeticOutcome created));
        Assert.Equal(10UL, created.Value);
        Assert.Equal(ArithmeticResult.Ok, _store.Arithmetic(B("n"), vivify, out ArithmeticOutcome next));
        Assert.Equal(11UL, next.Value);
    }

    [Fact]
    public void Store_OverMaxItemSize_IsTooLarge_AndDropsTheOldValue()
    {
        _store.Set("k", "old");
        byte[] huge = new byte[(1 << 20) + 1];
        Assert.Equal(StoreResult.TooLarge, _store.Store(B("k"), new StoreRequest(StoreMode.Set, 0, 0), huge, out _));
        Assert.Null(_store.Get("k"));
    }

    [Fact]
    public void Store_AtMaxValueLength_Fits()
    {
        byte[] value = new byte[_store.MaxValueLength(1)];
        Assert.Equal(StoreResult.Stored, _store.Store(B("k"), new StoreRequest(StoreMode.Set, 0, 0), value, out _));
        Assert.Equal(value.Length, _store.Get("k")!.Value.Length);
    }

    [Fact]
    public void FetchedBefore_IsFalseOnFirstRead_TrueAfter()
    {
        _store.Set("k", "v");
        Assert.False(_store.Get("k")!.FetchedBefore);
        Assert.True(_store.Get("k")!.FetchedBefore);
        _store.Set("k", "w");
        Assert.False(_store.Get("k", new GetOptions { NoBump = true })!.FetchedBefore);
        Assert.False(_store.Get("k")!.FetchedBefore);
    }

    [Fact]
    public void Append_PastMaxItemSize_IsNotStored_AndKeepsTheItem()
    {
        _store.Set("k", "start");
        byte[] big = new byte[_store.MaxValueLength(1)];
        Assert.Equal(StoreResult.NotStored, _store.Store(B("k"), new StoreRequest(StoreMode.Append, 0, 0), big, out _));
        Assert.Equal("start", _store.GetValue("k"));
    }
}
