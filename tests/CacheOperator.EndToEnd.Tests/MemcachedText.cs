using System.Net.Sockets;
using System.Text;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>A few memcached text commands over one connection, enough to prove where data goes.</summary>
internal sealed class MemcachedText : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;

    public static async Task<MemcachedText> ConnectAsync(string host, int port = 11211)
    {
        var connection = new MemcachedText();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection._client.ConnectAsync(host, port, timeout.Token);
        connection._stream = connection._client.GetStream();
        connection._stream.ReadTimeout = 10_000;
        return connection;
    }

    public async Task<string> SetAsync(string key, string value) =>
        await CommandAsync($"set {key} 0 0 {Encoding.ASCII.GetByteCount(value)}\r\n{value}\r\n", "\r\n");

    /// <summary>The value, or null on a miss.</summary>
    public async Task<string?> GetAsync(string key)
    {
        var reply = await CommandAsync($"get {key}\r\n", "END\r\n");
        if (reply == "END\r\n")
            return null;
        var lines = reply.Split("\r\n");
        return lines[0].StartsWith("VALUE ", StringComparison.Ordinal) ? lines[1] : throw new InvalidDataException(reply);
    }

    private async Task<string> CommandAsync(string command, string terminator)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(command));
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!reply.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            int read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
                throw new IOException($"connection closed; got so far: {reply}");
            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return reply.ToString();
    }

    public void Dispose() => _client.Dispose();
}
