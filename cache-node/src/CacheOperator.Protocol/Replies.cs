namespace CacheOperator.Protocol;

/// <summary>The protocol's fixed replies, byte for byte as memcached 1.6 sends them.</summary>
public static class Replies
{
    public static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public static ReadOnlySpan<byte> Stored => "STORED\r\n"u8;

    public static ReadOnlySpan<byte> NotStored => "NOT_STORED\r\n"u8;

    public static ReadOnlySpan<byte> Exists => "EXISTS\r\n"u8;

    public static ReadOnlySpan<byte> NotFound => "NOT_FOUND\r\n"u8;

    public static ReadOnlySpan<byte> Deleted => "DELETED\r\n"u8;

    public static ReadOnlySpan<byte> Touched => "TOUCHED\r\n"u8;

    public static ReadOnlySpan<byte> End => "END\r\n"u8;

    public static ReadOnlySpan<byte> Ok => "OK\r\n"u8;

    public static ReadOnlySpan<byte> Reset => "RESET\r\n"u8;

    public static ReadOnlySpan<byte> Error => "ERROR\r\n"u8;

    public static ReadOnlySpan<byte> Version => "VERSION 1.6.18\r\n"u8;

    public static ReadOnlySpan<byte> ShutdownNotEnabled => "ERROR: shutdown not enabled\r\n"u8;

    public static ReadOnlySpan<byte> BadCommandLineFormat => "CLIENT_ERROR bad command line format\r\n"u8;

    public static ReadOnlySpan<byte> DeleteUsage => "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"u8;

    public static ReadOnlySpan<byte> BadDataChunk => "CLIENT_ERROR bad data chunk\r\n"u8;

    public static ReadOnlySpan<byte> InvalidExptime => "CLIENT_ERROR invalid exptime argument\r\n"u8;

    public static ReadOnlySpan<byte> InvalidDelta => "CLIENT_ERROR invalid numeric delta argument\r\n"u8;

    public static ReadOnlySpan<byte> NonNumeric => "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"u8;

    public static ReadOnlySpan<byte> StatsDetailUsage => "CLIENT_ERROR usage: stats detail on|off|dump\r\n"u8;

    public static ReadOnlySpan<byte> TooLarge => "SERVER_ERROR object too large for cache\r\n"u8;

    public static ReadOnlySpan<byte> OutOfMemory => "SERVER_ERROR out of memory storing object\r\n"u8;

    public static ReadOnlySpan<byte> InvalidFlag => "CLIENT_ERROR invalid flag\r\n"u8;

    public static ReadOnlySpan<byte> DuplicateFlag => "CLIENT_ERROR duplicate flag\r\n"u8;

    public static ReadOnlySpan<byte> InvalidOrDuplicateFlag => "CLIENT_ERROR invalid or duplicate flag\r\n"u8;

    public static ReadOnlySpan<byte> BadToken => "CLIENT_ERROR bad token in command line format\r\n"u8;

    public static ReadOnlySpan<byte> KeyDecodeError => "CLIENT_ERROR error decoding key\r\n"u8;

    /// <summary>A client write to a node that tails a primary (ours: memcached has no replicas).</summary>
    public static ReadOnlySpan<byte> ReadOnlyReplica => "SERVER_ERROR this node is a read-only replica\r\n"u8;

    public static ReadOnlySpan<byte> MemlimitTooSmall => "MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m\r\n"u8;

    public static ReadOnlySpan<byte> OpaqueTooLong => "CLIENT_ERROR opaque token too long\r\n"u8;

    public static ReadOnlySpan<byte> InvalidMetaSetMode => "CLIENT_ERROR invalid mode for ms M token\r\n"u8;

    public static ReadOnlySpan<byte> InvalidDeltaValue => "CLIENT_ERROR invalid numeric delta value\r\n"u8;

    public static ReadOnlySpan<byte> InvalidInitialValue => "CLIENT_ERROR invalid numeric initial value\r\n"u8;

    public static ReadOnlySpan<byte> MetaModeLength => "CLIENT_ERROR incorrect length for M token\r\n"u8;

    public static ReadOnlySpan<byte> InvalidMetaArithmeticMode => "CLIENT_ERROR invalid mode for ma M token\r\n"u8;

    public static ReadOnlySpan<byte> MetaNoop => "MN\r\n"u8;

    public static ReadOnlySpan<byte> MetaMiss => "EN\r\n"u8;
}
