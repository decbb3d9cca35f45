using System.Net.Sockets;
using System.Text;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>A raw memcached connection for tests: send bytes, read until the reply is complete, bounded in time.</summary>
internal sealed class TextClient : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _pending = new();

    public TextClient(int port)
    {
        _client = new TcpClient();
        _client.Connect("127.0.0.1", port);
        _client.NoDelay = true;
        _stream = _client.GetStream();
    }

    /// <summary>Sends <paramref name="request"/> and reads until the text received ends with <paramref name="terminator"/>.</summary>
    public async Task<string> CallAsync(string request, string terminator)
    {
        await SendAsync(request);
        return await ReadUntilAsync(terminator);
    }

    public async Task SendAsync(string request) => await _stream.WriteAsync(Encoding.Latin1.GetBytes(request));

    public async Task<string> ReadUntilAsync(string terminator)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var buffer = new byte[64 * 1024];
        while (!_pending.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            var n = await _stream.ReadAsync(buffer, timeout.Token);
            if (n == 0)
                break;
            _pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }

    /// <summary>A meta request's whole reply: one line, and the data block after a VA line.</summary>
    public async Task<string> MetaAsync(string request)
    {
        var reply = await CallAsync(request, "\r\n");
        if (reply.StartsWith("VA ", StringComparison.Ordinal) && reply.Split("\r\n").Length < 3)
            reply += await ReadUntilAsync("\r\n");
        return reply;
    }

    public async Task<string> SetAsync(string key, string value, int exptime = 0) =>
        await CallAsync($"set {key} 0 {exptime} {value.Length}\r\n{value}\r\n", "\r\n");

    /// <summary>The value of a key, or null on a miss.</summary>
    public async Task<string?> GetAsync(string key)
    {
        var reply = await CallAsync($"get {key}\r\n", "END\r\n");
        if (!reply.StartsWith("VALUE ", StringComparison.Ordinal))
            return null;
        var lines = reply.Split("\r\n");
        return lines[1];
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
