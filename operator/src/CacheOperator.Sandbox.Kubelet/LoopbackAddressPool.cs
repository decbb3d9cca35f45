using System.Net;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Gives every pod its own address in 127.0.0.0/8, from 127.1.0.1 upward, so pods can all bind the same ports.
/// Allocation is next-fit: an address released by a deleted pod is handed out again only after the pool wraps,
/// so a client still holding an old pod's IP does not reach its successor by accident.
/// <para>
/// Several sandboxes may run on one machine at once (tests, engineers): with a lease folder, an address is also
/// held machine-wide by an exclusive lock on a file named after it. The OS drops the lock when the holder exits,
/// so a crashed kubelet leaks nothing.
/// </para>
/// </summary>
public sealed class LoopbackAddressPool : IDisposable
{
    private const uint First = (127u << 24) | (1u << 16) | 1u;
    private const uint Last = (127u << 24) | 0x00FF_FFFEu;

    private readonly Lock _lock = new();
    private readonly HashSet<uint> _inUse = [];
    private readonly Dictionary<uint, FileStream> _leases = [];
    private readonly string? _leaseDirectory;
    private uint _next = First;

    /// <param name="leaseDirectory">Where machine-wide leases live; null = this pool only.</param>
    public LoopbackAddressPool(string? leaseDirectory = null)
    {
        _leaseDirectory = leaseDirectory;
        if (leaseDirectory is not null)
            Directory.CreateDirectory(leaseDirectory);
    }

    /// <summary>The lease folder every sandbox on this machine shares by default.</summary>
    public static string SharedLeaseDirectory => Path.Combine(Path.GetTempPath(), "cacheoperator-sandbox-addresses");

    public int InUse
    {
        get
        {
            lock (_lock)
                return _inUse.Count;
        }
    }

    public IPAddress Allocate()
    {
        lock (_lock)
        {
            var candidate = _next;
            for (var tries = 0u; tries <= Last - First; tries++)
            {
                if (IsUsable(candidate) && !_inUse.Contains(candidate) && TryLease(candidate))
                {
                    _inUse.Add(candidate);
                    _next = candidate == Last ? First : candidate + 1;
                    return ToAddress(candidate);
                }

                candidate = candidate == Last ? First : candidate + 1;
            }
        }

        throw new InvalidOperationException("every sandbox pod address is in use");
    }

    /// <summary>Takes a specific address (a pod that already had it before a kubelet restart); false when taken or out of range.</summary>
    public bool TryReserve(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!TryToValue(address, out var value) || value < First || value > Last || !IsUsable(value))
            return false;
        lock (_lock)
            return !_inUse.Contains(value) && TryLease(value) && _inUse.Add(value);
    }

    public void Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!TryToValue(address, out var value))
            return;
        lock (_lock)
        {
            _inUse.Remove(value);
            if (_leases.Remove(value, out var lease))
                lease.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var lease in _leases.Values)
                lease.Dispose();
            _leases.Clear();
            _inUse.Clear();
        }
    }

    private bool TryLease(uint value)
    {
        if (_leaseDirectory is null)
            return true;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix: a second holder, in any process, fails.
            _leases[value] = new FileStream(Path.Combine(_leaseDirectory, ToAddress(value) + ".lease"),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // .0 and .255 are avoided: some tools treat them as network or broadcast addresses.
    private static bool IsUsable(uint value) => (value & 0xFF) is not (0 or 255);

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static bool TryToValue(IPAddress address, out uint value)
    {
        value = 0;
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return false;
        var bytes = address.GetAddressBytes();
        value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        return true;
    }
}
