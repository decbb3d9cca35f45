using System.Net;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class LoopbackAddressPoolTests
{
    [Fact]
    public void Allocate_StartsAt127_1_0_1_AndCountsUp()
    {
        var pool = new LoopbackAddressPool();
        Assert.Equal("127.1.0.1", pool.Allocate().ToString());
        Assert.Equal("127.1.0.2", pool.Allocate().ToString());
        Assert.Equal(2, pool.InUse);
    }

    [Fact]
    public void Allocate_NeverReturnsAnAddressStillInUse()
    {
        var pool = new LoopbackAddressPool();
        var seen = new HashSet<string>();
        for (var i = 0; i < 600; i++)
            Assert.True(seen.Add(pool.Allocate().ToString()));
        Assert.DoesNotContain("127.1.1.0", seen);
        Assert.DoesNotContain("127.1.0.255", seen);
        Assert.Contains("127.1.2.1", seen);
    }

    [Fact]
    public void Release_AddressIsNotHandedOutAgainBeforeTheOthers()
    {
        var pool = new LoopbackAddressPool();
        var first = pool.Allocate();
        pool.Allocate();
        pool.Release(first);
        Assert.Equal("127.1.0.3", pool.Allocate().ToString());
        Assert.Equal(2, pool.InUse);
    }

    [Fact]
    public void TryReserve_TakesAFreeAddressOnce()
    {
        var pool = new LoopbackAddressPool();
        Assert.True(pool.TryReserve(IPAddress.Parse("127.1.0.9")));
        Assert.False(pool.TryReserve(IPAddress.Parse("127.1.0.9")));
        Assert.False(pool.TryReserve(IPAddress.Parse("10.0.0.1")));
        Assert.False(pool.TryReserve(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void SharedLeases_TwoPoolsNeverHandOutTheSameAddress()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-leases-").FullName;
        try
        {
            using var first = new LoopbackAddressPool(dir);
            using var second = new LoopbackAddressPool(dir);
            var a = first.Allocate();
            var b = second.Allocate();
            Assert.Equal("127.1.0.1", a.ToString());
            Assert.Equal("127.1.0.2", b.ToString());
            Assert.False(second.TryReserve(a));
            first.Release(a);
            Assert.True(second.TryReserve(a));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
