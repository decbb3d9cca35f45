using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CacheOperator.LoadGen;

/// <summary>
/// One client connection: writes a batch of requests in one send, then reads exactly as many replies.
/// Buffers are allocated once; building, sending and parsing a batch allocate nothing.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private const int PrefillDepth = 64;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly Socket _socket;
    private readonly KeyCodec _codec;
    private readonly int _index;
    private readonly int _connectionCount;
    private readonly int _keyCount;

    /// <summary>Shared in verify mode; a connection only writes the entries of the keys it owns.</summary>
    private readonly int[]? _versions;

    private readonly byte[] _send;
    private readonly PendingRequest[] _pending;
    private readonly byte[] _expected;
    private readonly byte[] _sharedValue;

    /// <summary>Value lengths of sets are uniform in [_codec.ValueSize, _largestValue].</summary>
    private readonly int _largestValue;

    /// <summary>Draws value lengths; its own stream so a fixed-size run draws exactly the keys it always did.</summary>
    private FastRandom _sizeRandom;
    private byte[] _receive;
    private int _sendLength;
    private int _pendingCount;
    private int _receiveStart;
    private int _receiveEnd;
    private long _batchStart;
    private int _nextPrefillKey;
    private int _reportedFailures;

    public LoadConnection(IPEndPoint endPoint, int index, LoadGenOptions options, KeyCodec codec, int[]? versions)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        _codec = codec;
        _index = index;
        _connectionCount = options.Connections;
        _keyCount = options.Keys;
        _versions = versions;
        _nextPrefillKey = index;

        int depth = Math.Max(options.Pipeline, PrefillDepth);
        _largestValue = options.LargestValue;
        _sizeRandom = new FastRandom(options.Seed * 7_919UL + (ulong)index);
        int requestSize = codec.KeySize + _largestValue + 48;
        _send = new byte[depth * requestSize];
        _pending = new PendingRequest[depth];
        _receive = new byte[Math.Max(64 * 1024, 2 * requestSize)];
        _expected = new byte[codec.ValueSize];
        _sharedValue = new byte[_largestValue];
        codec.WriteValue(_sharedValue, 0, 0);
        for (int i = codec.ValueSize; i < _sharedValue.Length; i++)
            _sharedValue[i] = (byte)('a' + i % 26);

        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = options.TimeoutMilliseconds,
            SendTimeout = options.TimeoutMilliseconds,
        };
        _socket.Connect(endPoint);
    }

    private bool Verifying => _versions is not null;

    /// <summary>Writes one batch of random requests and sends it.</summary>
    public void WriteBatch(ref FastRandom random, ZipfSampler sampler, double getRatio, int depth)
    {
        _sendLength = 0;
        _pendingCount = 0;
        for (int i = 0; i < depth; i++)
        {
            bool isGet = random.NextDouble() < getRatio;
            int key = sampler.Sample(ref random);
            if (_versions is not null)
                key = Own(key);
            if (isGet)
            {
                AppendGet(key);
                _pending[_pendingCount++] = new PendingRequest { IsGet = true, Key = key, Version = _versions?[key] ?? 0 };
            }
            else
            {
                int version = _versions is null ? 0 : ++_versions[key];
                AppendSet(key, version);
                _pending[_pendingCount++] = new PendingRequest { IsGet = false, Key = key, Version = version };
            }
        }
        Flush();
    }

    /// <summary>Writes the next batch of this connection's share of the key space; false when all are written.</summary>
    public bool WritePrefillBatch()
    {
        _sendLength = 0;
        _pendingCount = 0;
        while (_pendingCount < PrefillDepth && _nextPrefillKey < _keyCount)
        {
            int key = _nextPrefillKey;
            _nextPrefillKey += _connectionCount;
            int version = _versions is null ? 0 : ++_versions[key];
            AppendSet(key, version);
            _pending[_pendingCount++] = new PendingRequest { IsGet = false, Key = key, Version = version };
        }
        if (_pendingCount == 0)
            return false;
        Flush();
        return true;
    }

    /// <summary>Reads the replies to the last batch, counting (and timing, when measuring) each one.</summary>
    public void ReadReplies(WorkerCounters counters, LatencyHistogram histogram, bool measuring)
    {
        for (int i = 0; i < _pendingCount; i++)
        {
            ref PendingRequest request = ref _pending[i];
            ReplyOutcome outcome = request.IsGet ? ReadGetReply(in request) : ReadStoreReply();
            counters.AllOperations++;
            if (!measuring)
                continue;
            histogram.Record((long)((Stopwatch.GetTimestamp() - _batchStart) * NanosecondsPerTick));
            counters.Operations++;
            if (request.IsGet)
                counters.Gets++;
            else
                counters.Sets++;
            switch (outcome)
            {
                case ReplyOutcome.Hit:
                    counters.Hits++;
                    break;
                case ReplyOutcome.Error:
                    counters.Errors++;
                    break;
                case ReplyOutcome.WrongValue:
                    counters.Hits++;
                    counters.VerifyFailures++;
                    break;
                default:
                    break;
            }
        }
        _pendingCount = 0;
    }

    /// <summary>Counts failures of a prefill batch (which are never timed).</summary>
    public long ReadPrefillReplies()
    {
        long failures = 0;
        for (int i = 0; i < _pendingCount; i++)
        {
            if (ReadStoreReply() != ReplyOutcome.Stored)
                failures++;
        }
        _pendingCount = 0;
        return failures;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The key owned by this connection closest below the sampled one, so the skew is kept.</summary>
    private int Own(int key)
    {
        int owned = key - key % _connectionCount + _index;
        return owned >= _keyCount ? owned - _connectionCount : owned;
    }

    private void AppendGet(int key)
    {
        Span<byte> buffer = _send.AsSpan(_sendLength);
        "get "u8.CopyTo(buffer);
        _codec.WriteKey(buffer[4..], key);
        int length = 4 + _codec.KeySize;
        "\r\n"u8.CopyTo(buffer[length..]);
        _sendLength += length + 2;
    }

    private void AppendSet(int key, int version)
    {
        Span<byte> buffer = _send.AsSpan(_sendLength);
        "set "u8.CopyTo(buffer);
        _codec.WriteKey(buffer[4..], key);
        int length = 4 + _codec.KeySize;
        " 0 0 "u8.CopyTo(buffer[length..]);
        length += 5;
        int valueLength = _largestValue > _codec.ValueSize
            ? _codec.ValueSize + _sizeRandom.NextInt(_largestValue - _codec.ValueSize + 1)
            : _codec.ValueSize;
        Utf8Formatter.TryFormat(valueLength, buffer[length..], out int written);
        length += written;
        "\r\n"u8.CopyTo(buffer[length..]);
        length += 2;
        if (Verifying)
            _codec.WriteValue(buffer[length..], key, version);
        else
            _sharedValue.AsSpan(0, valueLength).CopyTo(buffer[length..]);
        length += valueLength;
        "\r\n"u8.CopyTo(buffer[length..]);
        _sendLength += length + 2;
    }

    private void Flush()
    {
        _batchStart = Stopwatch.GetTimestamp();
        int sent = 0;
        while (sent < _sendLength)
            sent += _socket.Send(_send.AsSpan(sent, _sendLength - sent), SocketFlags.None);
    }

    private ReplyOutcome ReadStoreReply()
    {
        while (true)
        {
            ReadOnlySpan<byte> data = _receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart);
            int lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                Fill(0);
                continue;
            }
            bool stored = data[..lineEnd].SequenceEqual("STORED"u8);
            _receiveStart += lineEnd + 2;
            return stored ? ReplyOutcome.Stored : ReplyOutcome.Error;
        }
    }

    private ReplyOutcome ReadGetReply(in PendingRequest request)
    {
        while (true)
        {
            ReadOnlySpan<byte> data = _receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart);
            int lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                Fill(0);
                continue;
            }
            ReadOnlySpan<byte> line = data[..lineEnd];
            if (line.SequenceEqual("END"u8))
            {
                _receiveStart += lineEnd + 2;
                return ReplyOutcome.Miss;
            }
            if (!line.StartsWith("VALUE "u8))
            {
                _receiveStart += lineEnd + 2;
                return ReplyOutcome.Error;
            }

            // VALUE <key> <flags> <bytes>: the length is the last field.
            int lastSpace = line.LastIndexOf((byte)' ');
            if (!Utf8Parser.TryParse(line[(lastSpace + 1)..], out int length, out _) || length < 0)
                throw new InvalidDataException("malformed VALUE line");
            int total = lineEnd + 2 + length + 2 + 5;
            if (data.Length < total)
            {
                Fill(total);
                continue;
            }
            ReadOnlySpan<byte> value = data.Slice(lineEnd + 2, length);
            if (!data.Slice(lineEnd + 2 + length, 7).SequenceEqual("\r\nEND\r\n"u8))
                throw new InvalidDataException("a get reply did not end with END");
            ReplyOutcome outcome = Verifying && !IsExpected(in request, line, value) ? ReplyOutcome.WrongValue : ReplyOutcome.Hit;
            _receiveStart += total;
            return outcome;
        }
    }

    private bool IsExpected(in PendingRequest request, ReadOnlySpan<byte> line, ReadOnlySpan<byte> value)
    {
        bool matches = false;
        Span<byte> key = stackalloc byte[_codec.KeySize];
        _codec.WriteKey(key, request.Key);
        if (request.Version > 0 && value.Length == _codec.ValueSize && line[6..].StartsWith(key))
        {
            _codec.WriteValue(_expected, request.Key, request.Version);
            matches = value.SequenceEqual(_expected);
        }
        if (!matches && _reportedFailures++ < 5)
        {
            // Only the failure path allocates: the first few mismatches are worth reading.
            Console.Error.WriteLine(
                $"verify: key {System.Text.Encoding.ASCII.GetString(key)} expected version {request.Version}, got '{System.Text.Encoding.ASCII.GetString(line)}' " +
                $"value starting '{System.Text.Encoding.ASCII.GetString(value[..Math.Min(value.Length, 40)])}'");
        }
        return matches;
    }

    /// <summary>Receives more bytes, making room for at least <paramref name="needed"/> unread bytes in the buffer.</summary>
    private void Fill(int needed)
    {
        int unread = _receiveEnd - _receiveStart;
        if (unread == 0)
        {
            _receiveStart = 0;
            _receiveEnd = 0;
        }
        else if (_receiveStart > 0 && (_receive.Length - _receiveEnd < 4096 || _receiveStart + needed > _receive.Length))
        {
            Buffer.BlockCopy(_receive, _receiveStart, _receive, 0, unread);
            _receiveStart = 0;
            _receiveEnd = unread;
        }
        if (needed > _receive.Length || _receiveEnd == _receive.Length)
        {
            // A reply larger than the buffer: grow once, off the steady-state path.
            byte[] larger = new byte[Math.Max(needed, _receive.Length) * 2];
            Buffer.BlockCopy(_receive, _receiveStart, larger, 0, unread);
            _receive = larger;
            _receiveStart = 0;
            _receiveEnd = unread;
        }
        int received = _socket.Receive(_receive.AsSpan(_receiveEnd), SocketFlags.None);
        if (received == 0)
            throw new IOException("the server closed the connection");
        _receiveEnd += received;
    }
}
