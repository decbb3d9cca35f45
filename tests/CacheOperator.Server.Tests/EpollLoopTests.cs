using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Server.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Server.Tests;

/// <summary>
/// What the router builds on: work handed to a loop runs on its thread, work queued during a round of events runs
/// once the round is served, an outbound socket attached while still connecting carries what was written to it,
/// and a loop that polls before it sleeps does sleep when idle.
/// </summary>
public sealed class EpollLoopTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<EpollLoop> _loops = [];

    [Fact]
    public async Task Post_RunsTheActionOnTheLoopThread()
    {
        var loop = NewLoop();
        var ran = new TaskCompletionSource<(bool Current, EpollLoop? Loop)>(TaskCreationOptions.RunContinuationsAsynchronously);

        loop.Post(() => ran.SetResult((loop.IsCurrent, EpollLoop.Current)));

        var (current, seen) = await ran.Task.WaitAsync(Deadline);
        Assert.True(current);
        Assert.Same(loop, seen);
        Assert.False(loop.IsCurrent);
        Assert.Null(EpollLoop.Current);
    }

    [Fact]
    public async Task AfterEvents_RunsOnceTheRoundIsServed_InTheOrderQueued()
    {
        var loop = NewLoop();
        var log = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        loop.Post(() =>
        {
            loop.AfterEvents(() => log.Add("first queued"));
            loop.AfterEvents(() =>
            {
                log.Add("second queued");
                // Queued by after-events work: still this round, before the loop sleeps.
                loop.AfterEvents(() =>
                {
                    log.Add("queued by the second");
                    done.SetResult();
                });
            });
            log.Add("posted work");
        });

        await done.Task.WaitAsync(Deadline);
        Assert.Equal(["posted work", "first queued", "second queued", "queued by the second"], log);
    }

    [Fact]
    public async Task SwitchTo_FromAnotherThread_ContinuesOnTheLoop()
    {
        var loop = NewLoop();

        await Task.Run(async () =>
        {
            Assert.False(loop.IsCurrent);
            await loop.SwitchTo();
            Assert.True(loop.IsCurrent);
        }).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Post_AfterTheLoopHasStopped_RunsOnTheCaller()
    {
        var loop = NewLoop();
        loop.Dispose();
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = -1;

        loop.Post(() => ranOn = Environment.CurrentManagedThreadId);

        Assert.Equal(caller, ranOn);
        Assert.True(loop.MayRunHere);
        // A switch to a stopped loop does not wait for a thread that is gone.
        await loop.SwitchTo();
    }

    [Fact]
    public async Task Attach_SocketStillConnecting_SendsWhatWasWrittenOnceConnected_AndReceivesTheAnswer()
    {
        var loop = NewLoop();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        IEpollPipe? pipe = null;

        loop.Post(() =>
        {
            try
            {
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // Connecting: the write below must wait for it.
            }

            pipe = loop.Attach(socket, 64 * 1024);
            pipe.Output.Write("hello\r\n"u8);
            _ = ExchangeAsync(pipe, answered);
        });

        using var accepted = await listener.AcceptSocketAsync().WaitAsync(Deadline);
        var received = new byte[7];
        var total = 0;
        while (total < received.Length)
            total += await accepted.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Deadline);
        Assert.Equal("hello\r\n", Encoding.ASCII.GetString(received));

        await accepted.SendAsync("world\r\n"u8.ToArray(), SocketFlags.None);
        Assert.Equal("world\r\n", await answered.Task.WaitAsync(Deadline));

        var detached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(() =>
        {
            pipe!.Detach();
            detached.SetResult();
        });
        await detached.Task.WaitAsync(Deadline);
    }

    [Fact]
    public async Task LoopThatPolls_SleepsOnceIdleForLongerThanItsPollTime()
    {
        var loop = NewLoop(TimeSpan.FromMilliseconds(2));
        var before = await OnLoopAsync(loop, LoopThreadCpuTicks);
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        var after = await OnLoopAsync(loop, LoopThreadCpuTicks);

        // Polling without end would be 60 ticks (10 ms each) of the 600 ms; two polls and two posts are a few ms.
        Assert.InRange(after - before, 0, 10);
    }

    [Fact]
    public async Task LoopThatPolls_AnswersWorkPostedWhilePolling()
    {
        var loop = NewLoop(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 20; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            Assert.True(await OnLoopAsync(loop, () => loop.IsCurrent));
            Assert.True(stopwatch.Elapsed < Deadline);
        }
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
            loop.Dispose();
    }

    private EpollLoop NewLoop(TimeSpan poll = default)
    {
        var loop = new EpollLoop(NullLogger.Instance, poll);
        _loops.Add(loop);
        return loop;
    }

    private static async Task ExchangeAsync(IEpollPipe pipe, TaskCompletionSource<string> answered)
    {
        await pipe.Output.FlushAsync();
        while (true)
        {
            var result = await pipe.Input.ReadAsync();
            var text = Encoding.ASCII.GetString(result.Buffer);
            if (text.EndsWith("\r\n", StringComparison.Ordinal) || result.IsCompleted)
            {
                pipe.Input.AdvanceTo(result.Buffer.End);
                answered.SetResult(text);
                return;
            }

            pipe.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static async Task<T> OnLoopAsync<T>(EpollLoop loop, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(() => done.SetResult(work()));
        return await done.Task.WaitAsync(Deadline);
    }

    /// <summary>User plus system time of the calling thread, in clock ticks (/proc/thread-self/stat).</summary>
    private static long LoopThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the name: state is field 3, utime 14 and stime 15.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
