using System.Diagnostics;
using CacheOperator.Ring;
using CacheOperator.Router.Tests.Harness;

namespace CacheOperator.Router.Tests;

/// <summary>
/// The router role of the executable in front of one of our nodes and one Debian memcached, driven by a real
/// client library (pymemcache).
/// </summary>
public sealed class ExecutableTests : IDisposable
{
    private readonly BackendProcess _node;
    private readonly BackendProcess _memcached;
    private readonly string _ringFile;
    private readonly RouterProcess _router;

    public ExecutableTests()
    {
        _node = BackendProcess.Node();
        try
        {
            _memcached = BackendProcess.Memcached();
            _ringFile = Path.Combine(Directory.CreateTempSubdirectory("router-exe-").FullName, "ring.json");
            File.WriteAllBytes(_ringFile, RingFactory.Json(RingFactory.Ring(1,
                [RingFactory.Pool("main", [], [_node.Address, _memcached.Address])],
                // A freshly started node compiles its request path on first use: a tight timeout would trip on that.
                heartbeat: new HeartbeatSettings(500, 2000, 3))));
            _router = new RouterProcess(_ringFile);
        }
        catch
        {
            _memcached?.Dispose();
            _node.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _router.Dispose();
        _memcached.Dispose();
        _node.Dispose();
        Directory.Delete(Path.GetDirectoryName(_ringFile)!, recursive: true);
    }

    [Fact]
    public async Task Router_OverOurNodeAndMemcached_StoresOnEach()
    {
        using var client = new TextClient(_router.Port);
        var keys = Enumerable.Range(0, 30).Select(i => $"exe{i}").ToArray();
        foreach (var key in keys)
            Assert.Equal("STORED\r\n", await client.SetAsync(key, key));

        using var node = new TextClient(_node.Port);
        using var memcached = new TextClient(_memcached.Port);
        var onNode = 0;
        var onMemcached = 0;
        foreach (var key in keys)
        {
            onNode += await node.GetAsync(key) is null ? 0 : 1;
            onMemcached += await memcached.GetAsync(key) is null ? 0 : 1;
        }

        Assert.Equal(keys.Length, onNode + onMemcached);
        Assert.True(onNode > 0 && onMemcached > 0, $"node {onNode}, memcached {onMemcached}");
        var all = await client.CallAsync("get " + string.Join(' ', keys) + "\r\n", "END\r\n");
        Assert.Equal(string.Concat(keys.Select(k => $"VALUE {k} 0 {k.Length}\r\n{k}\r\n")) + "END\r\n", all);
    }

    [Fact]
    public async Task Pymemcache_Basics_ThroughTheRouter()
    {
        const string script = """
            import sys
            from pymemcache.client.base import Client
            c = Client(("127.0.0.1", int(sys.argv[1])), connect_timeout=5, timeout=5)
            assert c.set("py-a", b"1") is True
            assert c.get("py-a") == b"1"
            assert c.add("py-a", b"2", noreply=False) is False
            c.set_many({"py-b": b"2", "py-c": b"3", "py-d": b"4"})
            assert c.get_many(["py-a", "py-b", "py-c", "py-d", "py-none"]) == {"py-a": b"1", "py-b": b"2", "py-c": b"3", "py-d": b"4"}
            assert c.incr("py-n", 1) is None
            c.set("py-n", b"10")
            assert c.incr("py-n", 5) == 15
            assert c.decr("py-n", 20) == 0
            v, cas = c.gets("py-a")
            assert c.cas("py-a", b"9", cas) is True
            assert c.get("py-a") == b"9"
            assert c.delete("py-a", noreply=False) is True
            assert c.get("py-a") is None
            assert c.touch("py-b", 100, noreply=False) is True
            assert c.version() != ""
            print("ok")
            """;
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", script, _router.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var python = Process.Start(info)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await python.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            python.Kill(entireProcessTree: true);
            Assert.Fail("pymemcache script did not finish in 30 s");
        }

        Assert.True(python.ExitCode == 0, await stderr);
        Assert.Equal("ok", (await stdout).Trim());
    }
}
