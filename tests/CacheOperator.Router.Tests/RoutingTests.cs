using CacheOperator.Ring;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>Keys go where the ring says, on Debian memcached backends; replies keep the client's order.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private readonly List<BackendProcess> _backends = [];
    private RouterUnderTest? _router;
    private CacheRing _ring = null!;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 4; i++)
            _backends.Add(BackendProcess.Memcached());
        _ring = RingFactory.Ring(1,
        [
            RingFactory.Pool("main", [], [_backends[0].Address, _backends[1].Address, _backends[2].Address]),
            RingFactory.Pool("popular", ["pop:", "pop:very:"], [_backends[3].Address]),
        ]);
        _router = await RouterUnderTest.StartAsync(_ring);
    }

    public async Task DisposeAsync()
    {
        if (_router is not null)
            await _router.DisposeAsync();
        foreach (var backend in _backends)
            backend.Dispose();
    }

    [Fact]
    public async Task Set_LandsOnlyOnTheBackendTheRingNames()
    {
        using var client = _router!.Connect();
        var keys = Enumerable.Range(0, 40).Select(i => $"user:{i}").Concat(["pop:1", "pop:very:2", "po", "popular"]).ToArray();
        foreach (var key in keys)
            Assert.Equal("STORED\r\n", await client.SetAsync(key, "v-" + key));

        var seen = new HashSet<int>();
        foreach (var key in keys)
        {
            var expected = _ring.SelectPool(System.Text.Encoding.UTF8.GetBytes(key)).ShardForKey(System.Text.Encoding.UTF8.GetBytes(key)).Primary;
            seen.Add(expected.Port);
            foreach (var backend in _backends)
            {
                using var direct = new TextClient(backend.Port);
                var value = await direct.GetAsync(key);
                Assert.Equal(backend.Port == expected.Port ? "v-" + key : null, value);
            }
        }

        Assert.Equal(4, seen.Count);
    }

    [Theory]
    [InlineData("pop:x", 3)]
    [InlineData("pop:very:x", 3)]
    [InlineData("pop", -1)]
    [InlineData("xpop:x", -1)]
    public async Task PrefixPool_TakesKeysWithItsPrefix(string key, int backendIndex)
    {
        using var client = _router!.Connect();
        Assert.Equal("STORED\r\n", await client.SetAsync(key, "1"));
        using var popular = new TextClient(_backends[3].Port);
        Assert.Equal(backendIndex == 3 ? "1" : null, await popular.GetAsync(key));
    }

    [Fact]
    public async Task MultiGet_AcrossShards_AnswersInClientKeyOrderWithOneEnd()
    {
        using var client = _router!.Connect();
        var keys = Enumerable.Range(0, 30).Select(i => $"mk{i}").ToArray();
        foreach (var key in keys.Where((_, i) => i % 3 != 0))
            await client.SetAsync(key, "val" + key);

        var asked = keys.Concat(["mk1", "pop:z"]).ToArray();
        var reply = await client.CallAsync("get " + string.Join(' ', asked) + "\r\n", "END\r\n");

        var expected = string.Concat(asked.Where(k => k != "pop:z" && int.Parse(k[2..]) % 3 != 0)
            .Select(k => $"VALUE {k} 0 {("val" + k).Length}\r\nval{k}\r\n")) + "END\r\n";
        Assert.Equal(expected, reply);
    }

    [Fact]
    public async Task Gets_MultiKey_KeepsEachBackendsCas()
    {
        using var client = _router!.Connect();
        await client.SetAsync("ga", "1");
        await client.SetAsync("gb", "2");
        var reply = await client.CallAsync("gets ga gb gc\r\n", "END\r\n");
        var lines = reply.Split("\r\n");
        Assert.StartsWith("VALUE ga 0 1 ", lines[0]);
        Assert.StartsWith("VALUE gb 0 1 ", lines[2]);
        Assert.Equal("END", lines[4]);
    }

    [Fact]
    public async Task PipelinedRequests_AreAnsweredInOrder_AndNoReplyIsSilent()
    {
        using var client = _router!.Connect();
        var request = "set p1 0 0 1\r\na\r\nset p2 0 0 1 noreply\r\nb\r\ndelete p1\r\nget p1 p2\r\nincr nope 1\r\n"
            + "ms q1 2 q\r\nhi\r\nmg q1 v q\r\nmg q-missing v q\r\nmn\r\nversion\r\nbogus\r\nget\r\n";
        var reply = await client.CallAsync(request, "ERROR\r\nERROR\r\n");
        Assert.Equal("STORED\r\nDELETED\r\nVALUE p2 0 1\r\nb\r\nEND\r\nNOT_FOUND\r\nVA 2\r\nhi\r\nMN\r\nVERSION 1.6.18\r\nERROR\r\nERROR\r\n", reply);
    }

    [Fact]
    public async Task MetaCommands_AreForwardedWithTheirFlags()
    {
        using var client = _router!.Connect();
        Assert.Equal("HD O12 kmeta1\r\n", await client.CallAsync("ms meta1 3 T0 O12 k\r\nabc\r\n", "\r\n"));
        Assert.Equal("VA 3 kmeta1 f0\r\nabc\r\n", await client.CallAsync("mg meta1 v k f\r\n", "abc\r\n"));
        Assert.Equal("EN\r\n", await client.CallAsync("mg meta-missing v\r\n", "\r\n"));
        Assert.Equal("HD\r\n", await client.CallAsync("md meta1\r\n", "\r\n"));
        Assert.Equal("NF\r\n", await client.CallAsync("md meta1\r\n", "\r\n"));
        Assert.Equal("HD\r\n", await client.CallAsync("ms bWV0YTI= 1 b\r\nz\r\n", "\r\n"));
        using var direct = new TextClient(_ring.Default.ShardForKey("meta2"u8).Primary.Port);
        Assert.Equal("z", await direct.GetAsync("meta2"));
    }

    [Fact]
    public async Task FlushAll_ReachesEveryBackend()
    {
        using var client = _router!.Connect();
        foreach (var i in Enumerable.Range(0, 20))
            await client.SetAsync($"f{i}", "1");
        Assert.Equal("OK\r\n", await client.CallAsync("flush_all\r\n", "\r\n"));
        var reply = await client.CallAsync("get " + string.Join(' ', Enumerable.Range(0, 20).Select(i => $"f{i}")) + "\r\n", "END\r\n");
        Assert.Equal("END\r\n", reply);
    }

    [Fact]
    public async Task LargeValue_IsForwardedWhole()
    {
        using var client = _router!.Connect();
        var value = new string('x', 500_000);
        Assert.Equal("STORED\r\n", await client.SetAsync("large", value));
        Assert.Equal(value, await client.GetAsync("large"));
    }
}
