using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CacheOperator.Server.Transport;

/// <summary>
/// The Linux calls the epoll transport makes itself, because the runtime's socket API always tries a receive
/// before it waits (one system call per read that finds nothing) and hands no way to skip it.
/// </summary>
internal static unsafe partial class EpollNative
{
    /// <summary>The runtime maps this name to the platform's C library (libc.so.6 on glibc), whatever its file name.</summary>
    private const string LibC = "libc";

    internal const uint EpollIn = 0x001;
    internal const uint EpollOut = 0x004;
    internal const uint EpollErr = 0x008;
    internal const uint EpollHup = 0x010;
    internal const uint EpollRdHup = 0x2000;
    internal const uint EpollEt = 1u << 31;

    internal const int EpollCtlAdd = 1;
    internal const int EpollCtlDel = 2;

    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const int NoSignal = 0x4000;

    internal const int ErrorInterrupted = 4;
    internal const int ErrorWouldBlock = 11;

    /// <summary>
    /// Whether this machine's epoll_event layout is known: packed (12 bytes) on x64, naturally aligned (16) on
    /// arm64. Elsewhere the transport is not offered.
    /// </summary>
    internal static bool IsSupported => OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Size of one epoll_event (read per event: a constant to the JIT once initialised).</summary>
    internal static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of the event's 64-bit data after its 32-bit flags.</summary>
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    internal static uint EventFlags(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + (index * EventSize));

    internal static ulong EventData(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * EventSize) + DataOffset);

    /// <summary>A new epoll instance; throws with the reason when the kernel refuses.</summary>
    internal static int CreateEpoll()
    {
        var fd = epoll_create1(CloseOnExec);
        return fd >= 0 ? fd : throw Failure("epoll_create1");
    }

    /// <summary>A non-blocking eventfd, used to wake a loop out of epoll_wait.</summary>
    internal static int CreateEventFd()
    {
        var fd = eventfd(0, NonBlocking | CloseOnExec);
        return fd >= 0 ? fd : throw Failure("eventfd");
    }

    /// <summary>Adds <paramref name="fd"/> to <paramref name="epoll"/> for <paramref name="events"/>, tagged with <paramref name="data"/>.</summary>
    internal static void Add(int epoll, int fd, uint events, ulong data)
    {
        var ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, events);
        Unsafe.WriteUnaligned(ev + DataOffset, data);
        if (epoll_ctl(epoll, EpollCtlAdd, fd, ev) != 0)
            throw Failure("epoll_ctl");
    }

    /// <summary>Removes <paramref name="fd"/>; an fd already gone (closed) is not an error here.</summary>
    internal static void Remove(int epoll, int fd)
    {
        var ev = stackalloc byte[16];
        _ = epoll_ctl(epoll, EpollCtlDel, fd, ev);
    }

    /// <summary>Waits for events (-1: as long as it takes); the count, or -1 with the error in <paramref name="error"/>.</summary>
    internal static int Wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds, out int error)
    {
        var count = epoll_wait(epoll, events, maxEvents, timeoutMilliseconds);
        error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        return count;
    }

    /// <summary>One receive; the byte count, 0 at the end, or -1 with the error in <paramref name="error"/>.</summary>
    internal static int Receive(int fd, Span<byte> buffer, out int error)
    {
        nint count;
        fixed (byte* p = buffer)
            count = recv(fd, p, (nuint)buffer.Length, 0);
        error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)count;
    }

    /// <summary>One send that never raises SIGPIPE; the byte count, or -1 with the error in <paramref name="error"/>.</summary>
    internal static int Send(int fd, ReadOnlySpan<byte> buffer, out int error)
    {
        nint count;
        fixed (byte* p = buffer)
            count = send(fd, p, (nuint)buffer.Length, NoSignal);
        error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        return (int)count;
    }

    /// <summary>Adds one to an eventfd's counter, waking whoever waits on it.</summary>
    internal static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets an eventfd's counter after a wake-up.</summary>
    internal static void Drain(int eventFd)
    {
        ulong value;
        _ = read(eventFd, &value, sizeof(ulong));
    }

    internal static void Close(int fd) => _ = close(fd);

    private static IOException Failure(string call)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial nint recv(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial nint send(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(LibC)]
    private static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(LibC)]
    private static partial nint write(int fd, void* buf, nuint count);

    [LibraryImport(LibC)]
    private static partial int close(int fd);
}
