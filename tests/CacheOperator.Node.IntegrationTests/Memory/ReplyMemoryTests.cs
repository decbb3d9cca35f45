using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Memory;

/// <summary>
/// A few requests can ask for far more reply than the server has memory: one get naming large items thousands of
/// times, or a pipeline of such gets sent in one write. The server must stream the reply as the client reads it,
/// holding only a bounded part in memory, and every byte of it must still be right.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplyMemoryTests(ITestOutputHelper output)
{
    private const int ItemCount = 16;
    private const int ValueBytes = 256 * 1024;
    private const int Repeats = 100;

    /// <summary>The reply asked for is 400 MiB; a server that builds it before sending grows by that much.</summary>
    private const long ReplyBytesAtLeast = (long)ItemCount * ValueBytes * Repeats;

    /// <summary>Room for socket buffers, pipe segments and GC noise; far below the reply's size.</summary>
    private const long GrowthBoundKilobytes = 64 * 1024;

    private static readonly TimeSpan StallBeforeReading = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Each case runs against each of the node's transports: each must hold the reply bounded on its own.</summary>
    [Theory]
    [InlineData("kestrel")]
    [InlineData("direct")]
    [InlineData("epoll")]
    public async Task MultiGetNamingLargeItemsThousandsOfTimes_IsStreamedWithBoundedMemory(string transport)
    {
        var keys = Enumerable.Range(0, ItemCount * Repeats).Select(i => Key(i % ItemCount));
        var request = Encoding.ASCII.GetBytes("get " + string.Join(' ', keys) + "\r\n");
        await AssertStreamedAsync(transport, request, expectedEnds: 1);
    }

    [Theory]
    [InlineData("kestrel")]
    [InlineData("direct")]
    [InlineData("epoll")]
    public async Task PipelineOfLargeGetsInOneWrite_IsAnsweredWithBoundedMemory(string transport)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < ItemCount * Repeats; i++)
            builder.Append("get ").Append(Key(i % ItemCount)).Append("\r\n");
        await AssertStreamedAsync(transport, Encoding.ASCII.GetBytes(builder.ToString()), expectedEnds: ItemCount * Repeats);
    }

    private async Task AssertStreamedAsync(string transport, byte[] request, int expectedEnds)
    {
        using var node = NodeUnderTest.Start(new ServerSettings(MemoryMegabytes: 64, Transport: transport));
        using var deadline = new CancellationTokenSource(Deadline);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, node.Port), deadline.Token);
        await StoreItemsAsync(socket, deadline.Token);

        var baseline = node.ReadRssKilobytes() ?? throw new InvalidOperationException("no RSS for the server");
        var peak = baseline;
        var sending = SendAllAsync(socket, request, deadline.Token);

        // A client that does not read yet: whatever the server builds now stays in its memory.
        var stallEnd = DateTime.UtcNow + StallBeforeReading;
        while (DateTime.UtcNow < stallEnd)
        {
            peak = Math.Max(peak, node.ReadRssKilobytes() ?? 0);
            await Task.Delay(100, deadline.Token);
        }

        var reader = new ReplyChecker();
        var buffer = new byte[256 * 1024];
        var received = 0L;
        while (reader.Ends < expectedEnds)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.True(n > 0, $"{node.Name} closed the connection after {received} reply bytes.\n{node.Describe()}");
            received += n;
            reader.Feed(buffer.AsSpan(0, n));
            if (received % (32 * 1024 * 1024) < n)
                peak = Math.Max(peak, node.ReadRssKilobytes() ?? 0);
        }

        await sending;
        peak = Math.Max(peak, node.ReadRssKilobytes() ?? 0);
        output.WriteLine($"{node.Name}: {received} reply bytes, {reader.Values} values; RSS {baseline} KiB before, peak {peak} KiB");

        Assert.Equal(ItemCount * Repeats, reader.Values);
        Assert.True(received >= ReplyBytesAtLeast, $"only {received} reply bytes");
        Assert.True(peak - baseline <= GrowthBoundKilobytes,
            $"{node.Name} grew by {peak - baseline} KiB while answering a {received / (1024 * 1024)} MiB reply (bound {GrowthBoundKilobytes} KiB): the reply was built in memory instead of streamed.");

        await SendAllAsync(socket, "version\r\n"u8.ToArray(), deadline.Token);
        var tail = new byte[256];
        var got = await socket.ReceiveAsync(tail, SocketFlags.None, deadline.Token);
        Assert.StartsWith("VERSION ", Encoding.ASCII.GetString(tail, 0, got), StringComparison.Ordinal);
    }

    private static async Task StoreItemsAsync(Socket socket, CancellationToken cancel)
    {
        var reply = new byte[64];
        for (var i = 0; i < ItemCount; i++)
        {
            byte[] set = [.. Encoding.ASCII.GetBytes($"set {Key(i)} {i} 0 {ValueBytes}\r\n"), .. Value(i), .. "\r\n"u8];
            await SendAllAsync(socket, set, cancel);
            var n = await socket.ReceiveAsync(reply, SocketFlags.None, cancel);
            Assert.Equal("STORED\r\n", Encoding.ASCII.GetString(reply, 0, n));
        }
    }

    private static async Task SendAllAsync(Socket socket, byte[] bytes, CancellationToken cancel)
    {
        for (var sent = 0; sent < bytes.Length;)
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancel);
    }

    private static string Key(int item) => "big:" + item.ToString(CultureInfo.InvariantCulture);

    /// <summary>A value no other item shares, so a block sent under the wrong key is caught.</summary>
    private static byte[] Value(int item)
    {
        var value = new byte[ValueBytes];
        for (var i = 0; i < value.Length; i++)
            value[i] = (byte)('a' + (i * 7 + item) % 26);
        return value;
    }

    /// <summary>
    /// Parses the reply as it arrives: VALUE header, data block checked against the item it names, END. Holds
    /// at most one header line, so checking a reply of hundreds of MiB costs no memory.
    /// </summary>
    private sealed class ReplyChecker
    {
        private static readonly byte[][] Expected = [.. Enumerable.Range(0, ItemCount).Select(Value)];
        private readonly List<byte> _line = [];
        private byte[]? _block;
        private int _blockOffset;

        public int Values { get; private set; }

        public int Ends { get; private set; }

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_block is not null)
                {
                    var take = Math.Min(bytes.Length, _block.Length + 2 - _blockOffset);
                    for (var i = 0; i < take; i++, _blockOffset++)
                    {
                        var expected = _blockOffset < _block.Length ? _block[_blockOffset] : (byte)(_blockOffset == _block.Length ? '\r' : '\n');
                        if (bytes[i] != expected)
                            throw new InvalidOperationException($"value {Values} differs at byte {_blockOffset}");
                    }

                    bytes = bytes[take..];
                    if (_blockOffset == _block.Length + 2)
                    {
                        _block = null;
                        Values++;
                    }

                    continue;
                }

                var newline = bytes.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _line.AddRange(bytes.ToArray());
                    return;
                }

                _line.AddRange(bytes[..(newline + 1)].ToArray());
                bytes = bytes[(newline + 1)..];
                var text = Encoding.ASCII.GetString([.. _line]);
                _line.Clear();
                if (text == "END\r\n")
                {
                    Ends++;
                    continue;
                }

                var parts = text.TrimEnd().Split(' ');
                if (parts is not ["VALUE", var key, var flags, var length] || !key.StartsWith("big:", StringComparison.Ordinal))
                    throw new InvalidOperationException($"unexpected reply line '{text.TrimEnd()}'");
                var item = int.Parse(key.AsSpan(4), CultureInfo.InvariantCulture);
                if (flags != item.ToString(CultureInfo.InvariantCulture) || length != ValueBytes.ToString(CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"wrong header '{text.TrimEnd()}'");
                _block = Expected[item];
                _blockOffset = 0;
            }
        }
    }
}
