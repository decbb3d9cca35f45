using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>
/// One memcached text-protocol connection to 127.0.0.1 for the replication tests: a request at a time, each
/// bounded by the caller's token. Values are ASCII; that is all these tests store.
/// </summary>
public sealed class TextClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private TextClient(Socket socket) => _socket = socket;

    public static async Task<TextClient> ConnectAsync(int port, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation);
            return new TextClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>set/add/replace...: the reply line (STORED, NOT_STORED, SERVER_ERROR ...).</summary>
    public async Task<string> StoreAsync(string verb, string key, string value, uint flags, long ttl, CancellationToken cancellation)
    {
        var length = Encoding.ASCII.GetByteCount(value);
        await SendAsync(string.Create(CultureInfo.InvariantCulture, $"{verb} {key} {flags} {ttl} {length}\r\n{value}\r\n"), cancellation);
        return await ReadLineAsync(cancellation);
    }

    public Task<string> SetAsync(string key, string value, uint flags, long ttl, CancellationToken cancellation)
        => StoreAsync("set", key, value, flags, ttl, cancellation);

    /// <summary>A one-line request with a one-line reply (delete, incr, touch, ...).</summary>
    public async Task<string> CommandAsync(string line, CancellationToken cancellation)
    {
        await SendAsync(line + "\r\n", cancellation);
        return await ReadLineAsync(cancellation);
    }

    /// <summary>`get`: the value, or null on a miss.</summary>
    public async Task<string?> GetAsync(string key, CancellationToken cancellation)
    {
        await SendAsync($"get {key}\r\n", cancellation);
        var header = await ReadLineAsync(cancellation);
        if (header == "END")
        {
            return null;
        }

        var parts = header.Split(' ');
        if (parts.Length < 4 || parts[0] != "VALUE" || parts[1] != key)
        {
            throw new InvalidDataException($"get {key}: unexpected reply '{header}'");
        }

        var value = await ReadBlockAsync(int.Parse(parts[3], CultureInfo.InvariantCulture), cancellation);
        var end = await ReadLineAsync(cancellation);
        return end == "END" ? value : throw new InvalidDataException($"get {key}: '{end}' instead of END");
    }

    /// <summary>`mg &lt;key&gt; v f t`: the item, or null on a miss (EN).</summary>
    public async Task<MetaItem?> MetaGetAsync(string key, CancellationToken cancellation)
    {
        await SendAsync($"mg {key} v f t\r\n", cancellation);
        var header = await ReadLineAsync(cancellation);
        if (header == "EN")
        {
            return null;
        }

        var parts = header.Split(' ');
        if (parts[0] != "VA" || parts.Length < 2)
        {
            throw new InvalidDataException($"mg {key}: unexpected reply '{header}'");
        }

        uint flags = 0;
        long ttl = long.MinValue;
        foreach (var part in parts.Skip(2))
        {
            switch (part[0])
            {
                case 'f':
                    flags = uint.Parse(part.AsSpan(1), CultureInfo.InvariantCulture);
                    break;
                case 't':
                    ttl = long.Parse(part.AsSpan(1), CultureInfo.InvariantCulture);
                    break;
            }
        }

        var value = await ReadBlockAsync(int.Parse(parts[1], CultureInfo.InvariantCulture), cancellation);
        return ttl == long.MinValue ? throw new InvalidDataException($"mg {key}: no t flag in '{header}'") : new MetaItem(value, flags, ttl);
    }

    public void Dispose() => _socket.Dispose();

    private async Task SendAsync(string text, CancellationToken cancellation)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellation);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline > _start && _buffer[newline - 1] == '\r' ? newline - 1 - _start : newline - _start;
                var line = Encoding.ASCII.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            await FillAsync(cancellation);
        }
    }

    private async Task<string> ReadBlockAsync(int length, CancellationToken cancellation)
    {
        if (length + 2 > _buffer.Length)
        {
            throw new InvalidDataException($"a {length}-byte value does not fit this client's buffer");
        }

        while (_end - _start < length + 2)
        {
            await FillAsync(cancellation);
        }

        var value = Encoding.ASCII.GetString(_buffer, _start, length);
        if (_buffer[_start + length] != '\r' || _buffer[_start + length + 1] != '\n')
        {
            throw new InvalidDataException("a value block without its CRLF");
        }

        _start += length + 2;
        return value;
    }

    private async Task FillAsync(CancellationToken cancellation)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("a reply line longer than this client's buffer");
        }

        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        if (received == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += received;
    }
}
