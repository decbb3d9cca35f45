using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Router.Tests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Router.Tests;

/// <summary>
/// A few requests can ask the router to relay far more reply than it has memory: a multi-get naming large items
/// thousands of times (split over two backends and merged in key order, or all on one backend), or a pipeline of
/// large gets in one write. The backends answer as fast as loopback allows while the client first stalls, then
/// reads. The router must pass the reply on as the client takes it, holding a bounded part (measured as the router
/// process's RSS), and every byte must still be right and in the client's order.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RelayMemoryTests(RouterOverTwoBackends backends, ITestOutputHelper output) : IClassFixture<RouterOverTwoBackends>
{
    private const int ItemsPerShard = 8;
    private const int ValueBytes = 256 * 1024;
    private const int Repeats = 100;

    /// <summary>Room for socket buffers, pipe segments, pooled arrays and GC noise; far below the reply's size.</summary>
    private const long GrowthBoundKilobytes = 64 * 1024;

    private static readonly TimeSpan StallBeforeReading = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MultiGetSplitOverTwoBackends_IsRelayedInKeyOrderWithBoundedMemory()
    {
        // Keys alternate between the shards, so every block of the reply comes from the other backend than the last.
        var keys = Keys.OnShard(backends.Ring, 0, "relay:a:", ItemsPerShard)
            .Zip(Keys.OnShard(backends.Ring, 1, "relay:b:", ItemsPerShard), (a, b) => new[] { a, b }).SelectMany(k => k).ToArray();
        var asked = Enumerable.Range(0, keys.Length * Repeats).Select(i => keys[i % keys.Length]).ToArray();
        await AssertRelayedAsync(keys, Encoding.ASCII.GetBytes("get " + string.Join(' ', asked) + "\r\n"), asked, endAfterEach: false);
    }

    [Fact]
    public async Task MultiGetAllOnOneBackend_IsRelayedWithBoundedMemory()
    {
        var keys = Keys.OnShard(backends.Ring, 0, "relay:one:", 2 * ItemsPerShard);
        var asked = Enumerable.Range(0, keys.Length * Repeats).Select(i => keys[i % keys.Length]).ToArray();
        await AssertRelayedAsync(keys, Encoding.ASCII.GetBytes("get " + string.Join(' ', asked) + "\r\n"), asked, endAfterEach: false);
    }

    [Fact]
    public async Task PipelineOfLargeGetsInOneWrite_IsRelayedWithBoundedMemory()
    {
        var keys = Keys.OnShard(backends.Ring, 0, "relay:p:", ItemsPerShard).Concat(Keys.OnShard(backends.Ring, 1, "relay:q:", ItemsPerShard)).ToArray();
        var asked = Enumerable.Range(0, keys.Length * Repeats).Select(i => keys[i * 7 % keys.Length]).ToArray();
        var request = new StringBuilder();
        foreach (var key in asked)
            request.Append("get ").Append(key).Append("\r\n");
        await AssertRelayedAsync(keys, Encoding.ASCII.GetBytes(request.ToString()), asked, endAfterEach: true);
    }

    private async Task AssertRelayedAsync(string[] stored, byte[] request, string[] asked, bool endAfterEach)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, backends.RouterPort), deadline.Token);
        foreach (var key in stored)
        {
            byte[] set = [.. Encoding.ASCII.GetBytes($"set {key} {Flags(key)} 0 {ValueBytes}\r\n"), .. BigValues.For(key, ValueBytes), .. "\r\n"u8];
            await BigValues.SendAllAsync(socket, set, deadline.Token);
            var reply = new byte[64];
            var n = await socket.ReceiveAsync(reply, SocketFlags.None, deadline.Token);
            Assert.Equal("STORED\r\n", Encoding.ASCII.GetString(reply, 0, n));
        }

        var baseline = backends.ReadRouterRssKilobytes() ?? throw new InvalidOperationException("no RSS for the router");
        var peak = baseline;
        var sending = BigValues.SendAllAsync(socket, request, deadline.Token);

        // A client that does not read yet: whatever the router takes from the backends now stays in its memory.
        var stallEnd = DateTime.UtcNow + StallBeforeReading;
        while (DateTime.UtcNow < stallEnd)
        {
            peak = Math.Max(peak, backends.ReadRouterRssKilobytes() ?? 0);
            await Task.Delay(100, deadline.Token);
        }

        var expected = new ExpectedReply(asked, endAfterEach);
        var buffer = new byte[256 * 1024];
        var received = 0L;
        while (!expected.IsDone)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.True(n > 0, $"the router closed the connection after {received} of {expected.TotalBytes} reply bytes");
            var mismatch = expected.Match(buffer.AsSpan(0, n));
            Assert.True(mismatch < 0, $"reply byte {received + mismatch} differs from what was asked ({expected.Describe()}): "
                + Encoding.ASCII.GetString(buffer, Math.Max(0, mismatch), Math.Min(80, n - Math.Max(0, mismatch))));
            received += n;
            if (received % (16 * 1024 * 1024) < n)
                peak = Math.Max(peak, backends.ReadRouterRssKilobytes() ?? 0);
        }

        await sending;
        peak = Math.Max(peak, backends.ReadRouterRssKilobytes() ?? 0);
        output.WriteLine($"router: {received} reply bytes for {asked.Length} values; RSS {baseline} KiB before, peak {peak} KiB");
        Assert.Equal(expected.TotalBytes, received);
        Assert.True(peak - baseline <= GrowthBoundKilobytes,
            $"the router grew by {peak - baseline} KiB while relaying a {received / (1024 * 1024)} MiB reply (bound {GrowthBoundKilobytes} KiB): it held the reply instead of streaming it.");

        // The connection (and the backends' connections behind it) still work.
        await BigValues.SendAllAsync(socket, Encoding.ASCII.GetBytes($"get {stored[0]}\r\n"), deadline.Token);
        var check = new ExpectedReply([stored[0]], endAfterEach: false);
        while (!check.IsDone)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.True(n > 0 && check.Match(buffer.AsSpan(0, n)) < 0, "the follow-up get was not answered right");
        }
    }

    private static int Flags(string key) => key.Length * 31 + key[^1];

    /// <summary>
    /// The exact reply the client is owed, produced piece by piece as the received bytes are compared with it, so
    /// checking hundreds of MiB costs only the stored values.
    /// </summary>
    private sealed class ExpectedReply
    {
        private static readonly byte[] End = "END\r\n"u8.ToArray();
        private readonly string[] _asked;
        private readonly bool _endAfterEach;
        private readonly Dictionary<string, byte[]> _blocks = [];
        private int _index;
        private byte[]? _piece;
        private int _offset;

        public ExpectedReply(string[] asked, bool endAfterEach)
        {
            _asked = asked;
            _endAfterEach = endAfterEach;
            foreach (var key in asked.Distinct())
            {
                byte[] block = [.. Encoding.ASCII.GetBytes($"VALUE {key} {Flags(key)} {ValueBytes}\r\n"), .. BigValues.For(key, ValueBytes), .. "\r\n"u8];
                _blocks[key] = endAfterEach ? [.. block, .. End] : block;
            }

            TotalBytes = asked.Sum(k => (long)_blocks[k].Length) + (endAfterEach ? 0 : End.Length);
            _piece = Next();
        }

        public long TotalBytes { get; }

        public bool IsDone => _piece is null;

        /// <summary>Compares the next received bytes; the offset of the first wrong (or extra) byte, or -1.</summary>
        public int Match(ReadOnlySpan<byte> bytes)
        {
            var at = 0;
            while (at < bytes.Length)
            {
                if (_piece is null)
                    return at;
                var take = Math.Min(bytes.Length - at, _piece.Length - _offset);
                var got = bytes.Slice(at, take);
                var want = _piece.AsSpan(_offset, take);
                var differs = got.CommonPrefixLength(want);
                if (differs < take)
                    return at + differs;
                at += take;
                _offset += take;
                if (_offset == _piece.Length)
                {
                    _piece = Next();
                    _offset = 0;
                }
            }

            return -1;
        }

        public string Describe() => _index <= _asked.Length
            ? $"in piece {_index} of {_asked.Length + (_endAfterEach ? 0 : 1)}, at offset {_offset}"
            : "after the end";

        private byte[]? Next()
        {
            var index = _index++;
            if (index < _asked.Length)
                return _blocks[_asked[index]];
            return index == _asked.Length && !_endAfterEach ? End : null;
        }
    }
}
