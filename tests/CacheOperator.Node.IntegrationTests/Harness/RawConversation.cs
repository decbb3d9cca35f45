using System.Net;
using System.Net.Sockets;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// Sends raw request bytes over one fresh connection and collects every reply byte. A step is finished when the
/// sentinel's "MN" arrives, the server closes, or (for steps without a sentinel) the server stays quiet for
/// <see cref="QuietPeriod"/> after the request was fully sent.
/// </summary>
public static class RawConversation
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(750);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly byte[] Sentinel = "mn\r\n"u8.ToArray();

    public static async Task<RawTranscript> RunAsync(int port, IReadOnlyList<RawStep> steps)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);

        var reply = new MemoryStream();
        var buffer = new byte[64 * 1024];
        Task<int>? pendingReceive = null;
        var closed = false;

        try
        {
            foreach (var step in steps)
            {
                var request = step.Encode(ReplyNormalizer.LastCas(reply.ToArray()));
                if (step.AppendSentinel)
                {
                    request = [.. request, .. Sentinel];
                }

                var expectedSentinels = step.AppendSentinel ? CountMetaNoOps(request, "mn"u8) : 0;
                var stepStart = (int)reply.Length;

                // Sending runs beside receiving: a server answering a large pipeline while we are still writing
                // would otherwise fill both socket buffers and deadlock the conversation.
                var send = SendAsync(socket, request, step.ChunkSize, deadline.Token);
                while (true)
                {
                    if (expectedSentinels > 0 &&
                        CountMetaNoOps(reply.GetBuffer().AsSpan(stepStart, (int)reply.Length - stepStart), "MN"u8) >= expectedSentinels)
                    {
                        break;
                    }

                    pendingReceive ??= socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).AsTask();
                    var quiet = Task.Delay(QuietPeriod, deadline.Token);
                    var first = await Task.WhenAny(pendingReceive, quiet);
                    if (first == pendingReceive)
                    {
                        var received = await ReceivedOrClosed(pendingReceive);
                        pendingReceive = null;
                        if (received == 0)
                        {
                            closed = true;
                            break;
                        }

                        reply.Write(buffer, 0, received);
                    }
                    else if (send.IsCompleted)
                    {
                        await quiet;
                        break;
                    }
                }

                await SentOrClosed(send);
                if (closed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new RawTranscript(reply.ToArray(), closed, DeadlineExceeded: true);
        }

        return new RawTranscript(reply.ToArray(), closed, DeadlineExceeded: false);
    }

    private static async Task SendAsync(Socket socket, byte[] request, int? chunkSize, CancellationToken cancel)
    {
        if (chunkSize is not { } size)
        {
            await socket.SendAsync(request, SocketFlags.None, cancel);
            return;
        }

        for (var offset = 0; offset < request.Length; offset += size)
        {
            await socket.SendAsync(request.AsMemory(offset, Math.Min(size, request.Length - offset)), SocketFlags.None, cancel);

            // A pause lets each piece arrive as its own segment rather than being coalesced by the kernel.
            await Task.Delay(1, cancel);
        }
    }

    /// <summary>Bytes received; 0 when the server closed or reset the connection.</summary>
    private static async Task<int> ReceivedOrClosed(Task<int> receive)
    {
        try
        {
            return await receive;
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return 0;
        }
    }

    /// <summary>A server that closes mid-request (as memcached does on an overlong line) makes the send fail: expected.</summary>
    private static async Task SentOrClosed(Task send)
    {
        try
        {
            await send;
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
        }
    }

    /// <summary>Lines that are exactly the given two letters (mn / MN), counted at line starts only.</summary>
    private static int CountMetaNoOps(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> word)
    {
        var count = 0;
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            if ((i == 0 || bytes[i - 1] == (byte)'\n') && bytes.Slice(i, 2).SequenceEqual(word) && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                count++;
            }
        }

        return count;
    }
}
