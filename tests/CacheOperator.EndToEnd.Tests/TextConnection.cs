using System.Net.Sockets;
using System.Text;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// A raw memcached text connection for load: requests are written in one batch, replies read line by line from a
/// buffer, so a pipelined batch costs one round trip. Every read is bounded by a timeout.
/// </summary>
internal sealed class TextConnection : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private TextConnection(Socket socket) => _socket = socket;

    public static async Task<TextConnection> ConnectAsync(string host, int port = 11211)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TextConnection(socket);
    }

    public async Task SendAsync(string requests)
    {
        var bytes = Encoding.ASCII.GetBytes(requests);
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        for (var sent = 0; sent < bytes.Length;)
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, timeout.Token);
    }

    /// <summary>The next reply line without its CRLF.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            await FillAsync(timeout.Token);
        }
    }

    /// <summary>A data block of <paramref name="length"/> bytes and its CRLF.</summary>
    public async Task<string> ReadBlockAsync(int length)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (_end - _start < length + 2)
            await FillAsync(timeout.Token);
        var block = Encoding.ASCII.GetString(_buffer, _start, length);
        _start += length + 2;
        return block;
    }

    /// <summary>The hits of one get reply, key → value, up to its END (a SERVER_ERROR line is thrown).</summary>
    public async Task<Dictionary<string, string>> ReadValuesAsync()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == "END")
                return values;
            var parts = line.Split(' ');
            if (parts is not ["VALUE", var key, _, var length, ..])
                throw new InvalidDataException($"unexpected reply to a get: '{line}'");
            values[key] = await ReadBlockAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async Task FillAsync(CancellationToken timeout)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
            throw new InvalidDataException("a reply line or value is larger than the test's buffer");
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout);
        if (read == 0)
            throw new IOException("the server closed the connection");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
