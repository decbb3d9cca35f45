using System.Runtime.InteropServices;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>POSIX signals sent to a whole process group (a pod container and anything it started).</summary>
public static partial class Signals
{
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;

    /// <summary>Sends to the process group led by <paramref name="processGroupId"/>; false when none is left.</summary>
    public static bool SendToGroup(int processGroupId, int signal) =>
        processGroupId > 1 && NativeKill(-processGroupId, signal) == 0;

    public static bool SendToProcess(int pid, int signal) => pid > 1 && NativeKill(pid, signal) == 0;

    /// <summary>Whether any process of the group still exists (signal 0 probes without sending).</summary>
    public static bool GroupExists(int processGroupId) => processGroupId > 1 && NativeKill(-processGroupId, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
