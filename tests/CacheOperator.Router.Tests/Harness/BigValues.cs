using System.Net.Sockets;
using System.Text;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>What the tests that push large replies through the router share: the values and the raw sends.</summary>
internal static class BigValues
{
    /// <summary>A value of <paramref name="size"/> bytes no other key shares (it starts with the key), so a block relayed under the wrong key is caught.</summary>
    public static byte[] For(string key, int size)
    {
        var value = new byte[size];
        Encoding.ASCII.GetBytes(key).CopyTo(value, 0);
        var seed = key.GetHashCode(StringComparison.Ordinal) & 0xff;
        for (var i = key.Length; i < value.Length; i++)
            value[i] = (byte)('a' + (i * 7 + seed) % 26);
        return value;
    }

    /// <summary>Sends every byte, however many sends the socket takes.</summary>
    public static async Task SendAllAsync(Socket socket, byte[] bytes, CancellationToken cancel)
    {
        for (var sent = 0; sent < bytes.Length;)
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancel);
    }
}
