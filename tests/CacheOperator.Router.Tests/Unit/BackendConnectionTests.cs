using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Tests.Unit;

/// <summary>
/// The backend connection's send path (written by the sending thread, held in batches) and its reply matching,
/// against a fake backend that answers each line with its own text.
/// </summary>
public sealed class BackendConnectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TrySend_BatchesFromSeveralSenders_EveryReplyMatchesItsRequest()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(Deadline);
        var backend = EchoLinesAsync(listener, closeAfter: int.MaxValue, stop.Token);
        var connection = BackendConnection.Open("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Deadline, static (_, _, _) => { });
        try
        {
            var senders = Enumerable.Range(0, 4).Select(s => Task.Run(() => SendBatchesAsync(connection, s, batches: 50, perBatch: 5))).ToArray();
            var mismatches = await Task.WhenAll(senders).WaitAsync(Deadline);
            Assert.All(mismatches, m => Assert.Empty(m));
        }
        finally
        {
            connection.Close(ReplyStatus.Down);
            await stop.CancelAsync();
            await backend.WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Close_ByTheBackendWithRequestsInFlight_FailsThemAsHard()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(Deadline);
        var backend = EchoLinesAsync(listener, closeAfter: 1, stop.Token);
        var closed = new TaskCompletionSource<ReplyStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = BackendConnection.Open("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Deadline,
            (_, status, _) => closed.TrySetResult(status));
        try
        {
            var answered = new PendingReply(ReplyKind.Line);
            var lost = new PendingReply(ReplyKind.Line);
            BackendConnection.BeginBatch();
            Assert.True(connection.TrySend(answered, "first\r\n"u8, appendNoop: false));
            Assert.True(connection.TrySend(lost, "second\r\n"u8, appendNoop: false));
            BackendConnection.EndBatch();

            Assert.Equal(ReplyStatus.Ok, await answered.WaitAsync().AsTask().WaitAsync(Deadline));
            Assert.Equal("first\r\n", Encoding.ASCII.GetString(answered.Reply.Span));
            Assert.Equal(ReplyStatus.Hard, await lost.WaitAsync().AsTask().WaitAsync(Deadline));
            Assert.Equal(ReplyStatus.Hard, await closed.Task.WaitAsync(Deadline));
            Assert.False(connection.TrySend(new PendingReply(ReplyKind.Line), "third\r\n"u8, appendNoop: false));
        }
        finally
        {
            connection.Close(ReplyStatus.Down);
            await stop.CancelAsync();
            await backend.WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task TrySend_BehindFourUnansweredRequests_IsHeldUntilRepliesArriveThenSent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(Deadline);
        var fiveRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = AnswerAfterPauseAsync(listener, fiveRead, stop.Token);
        var connection = BackendConnection.Open("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Deadline, static (_, _, _) => { });
        try
        {
            // Connected and answering before the measured part.
            var first = new PendingReply(ReplyKind.Line);
            Assert.True(connection.TrySend(first, "w\r\n"u8, appendNoop: false));
            Assert.Equal(ReplyStatus.Ok, await first.WaitAsync().AsTask().WaitAsync(Deadline));
            // The reply reaches us before its read is over: the flush that follows it must not be the one that
            // sends the held requests below (a descheduled receive loop did, on a loaded machine).
            Assert.True(SpinWait.SpinUntil(() => connection.ReadsHandled >= 1, Deadline), "the first reply's read never finished");

            var sent = Enumerable.Range(0, 5).Select(_ => new PendingReply(ReplyKind.Line)).ToArray();
            BackendConnection.BeginBatch();
            for (var i = 0; i < sent.Length; i++)
                Assert.True(connection.TrySend(sent[i], Encoding.ASCII.GetBytes($"a{i}\r\n"), appendNoop: false));
            BackendConnection.EndBatch();
            // The five are with the backend and their send is over: a send still under way would take the next
            // requests along (by design), which is not what this test is about.
            await fiveRead.Task.WaitAsync(Deadline);
            Assert.True(SpinWait.SpinUntil(() => !connection.IsSending, Deadline), "the send of the five never finished");
            var held = Enumerable.Range(0, 3).Select(_ => new PendingReply(ReplyKind.Line)).ToArray();
            for (var i = 0; i < held.Length; i++)
                Assert.True(connection.TrySend(held[i], Encoding.ASCII.GetBytes($"b{i}\r\n"), appendNoop: false));

            var all = sent.Concat(held).ToArray();
            var expected = Enumerable.Range(0, 5).Select(i => $"a{i}\r\n").Concat(Enumerable.Range(0, 3).Select(i => $"b{i}\r\n")).ToArray();
            for (var i = 0; i < all.Length; i++)
            {
                Assert.Equal(ReplyStatus.Ok, await all[i].WaitAsync().AsTask().WaitAsync(Deadline));
                Assert.Equal(expected[i], Encoding.ASCII.GetString(all[i].Reply.Span));
            }

            var bytesWhileAnswering = await backend.WaitAsync(Deadline);
            Assert.Equal(0, bytesWhileAnswering);
        }
        finally
        {
            connection.Close(ReplyStatus.Down);
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// Echoes one line, then reads five, pauses before answering them and returns how many more bytes came in the
    /// pause (held requests: none), then echoes three more.
    /// </summary>
    private static async Task<int> AnswerAfterPauseAsync(TcpListener listener, TaskCompletionSource fiveRead, CancellationToken stop)
    {
        using var socket = await listener.AcceptSocketAsync(stop);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        async Task ReadLinesAsync(int lines)
        {
            while (text.ToString().Count(c => c == '\n') < lines)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop);
                if (n == 0)
                    throw new IOException("closed");
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }

        async Task EchoAsync(int lines)
        {
            await ReadLinesAsync(lines);
            var all = text.ToString();
            var cut = 0;
            for (var i = 0; i < lines; i++)
                cut = all.IndexOf('\n', cut) + 1;
            text.Remove(0, cut);
            await socket.SendAsync(Encoding.ASCII.GetBytes(all[..cut]), SocketFlags.None, stop);
        }

        await EchoAsync(1);
        await ReadLinesAsync(5);
        fiveRead.SetResult();
        await Task.Delay(300, stop);
        var arrived = socket.Available + text.ToString().Split('\n').Skip(5).Sum(l => l.Length);
        await EchoAsync(5);
        await EchoAsync(3);
        return arrived;
    }

    /// <summary>Sends batches of numbered requests and returns every reply that is not its request's echo.</summary>
    private static async Task<List<string>> SendBatchesAsync(BackendConnection connection, int sender, int batches, int perBatch)
    {
        var mismatches = new List<string>();
        for (var b = 0; b < batches; b++)
        {
            var replies = new (PendingReply Reply, string Expected)[perBatch];
            BackendConnection.BeginBatch();
            try
            {
                for (var i = 0; i < perBatch; i++)
                {
                    var expected = $"r{sender}-{b}-{i}\r\n";
                    replies[i] = (new PendingReply(ReplyKind.Line), expected);
                    Assert.True(connection.TrySend(replies[i].Reply, Encoding.ASCII.GetBytes(expected), appendNoop: false));
                }
            }
            finally
            {
                BackendConnection.EndBatch();
            }

            foreach (var (reply, expected) in replies)
            {
                var status = await reply.WaitAsync();
                var text = Encoding.ASCII.GetString(reply.Reply.Span);
                if (status != ReplyStatus.Ok || text != expected)
                    mismatches.Add($"{expected.TrimEnd()}: {status} '{text.TrimEnd()}'");
                reply.Reply.Dispose();
            }
        }

        return mismatches;
    }

    /// <summary>Accepts one connection and answers each line with itself; closes after <paramref name="closeAfter"/> lines.</summary>
    private static async Task EchoLinesAsync(TcpListener listener, int closeAfter, CancellationToken stop)
    {
        try
        {
            using var socket = await listener.AcceptSocketAsync(stop);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            for (var answered = 0; answered < closeAfter; answered++)
            {
                var line = await reader.ReadLineAsync(stop);
                if (line is null)
                    return;
                await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), stop);
            }

            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // Stopped by the test, or the router side closed first.
        }
    }
}
