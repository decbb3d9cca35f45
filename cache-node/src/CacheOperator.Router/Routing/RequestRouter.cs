using System.Buffers.Text;
using CacheOperator.Protocol;
using CacheOperator.Ring;
using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Routing;

/// <summary>
/// Sends parsed client requests to backends and builds the client's reply: the key's pool, bucket, shard and
/// copy; failover to replicas, the gutter pool or a miss; fan-out of writes to replicas; multi-get split by
/// backend and merged back in the client's key order. Requests are forwarded as the client wrote them, except
/// the sub-gets of a split multi-get and writes capped for the gutter.
/// </summary>
internal sealed class RequestRouter
{
    private static readonly byte[] ShardDown = "SERVER_ERROR shard unavailable\r\n"u8.ToArray();
    private static readonly byte[] BackendError = "SERVER_ERROR backend error\r\n"u8.ToArray();

    /// <summary>Longest key that can have hot copies: a copy key adds up to 11 bytes and must stay within 250.</summary>
    private const int MaxHotKeyLength = 250 - Ring.HotKeyCopies.MaxSuffixLength;

    /// <summary>Queues the sub-requests of split multi-gets in one order on every connection (see <see cref="MultiGet"/>).</summary>
    private static readonly Lock SplitGetOrder = new();

    public RequestRouter(RingManager rings) => Rings = rings;

    public RingManager Rings { get; }

    /// <summary>Reads counted for hot-key detection.</summary>
    public HotKeyTracker HotKeys { get; } = new();

    /// <summary>
    /// Routes a request with one key. <paramref name="request"/> (line and data block) is owned by the call and
    /// freed when every send using it has finished. Returns the reply bytes, or null for no reply.
    /// </summary>
    public Task<PooledBuffer?> KeyedAsync(RouteTable table, PooledBuffer request, ReadOnlyMemory<byte> key,
        RequestClass requestClass, ReplyKind kind, ReplyMode mode, bool meta, int affinity, bool hotEligible = false)
    {
        // The common case returns the core's task itself: no second state machine per request.
        if (requestClass == RequestClass.Read || HotKeys.Find(key.Span) is not { } hotKey)
            return KeyedCoreAsync(table, request, key, requestClass, kind, mode, meta, affinity, hotEligible);
        return HotWriteAsync(table, request, key, requestClass, kind, mode, meta, affinity, hotKey);
    }

    private async Task<PooledBuffer?> HotWriteAsync(RouteTable table, PooledBuffer request, ReadOnlyMemory<byte> key,
        RequestClass requestClass, ReplyKind kind, ReplyMode mode, bool meta, int affinity, HotKey hotKey)
    {
        // A write or delete of a hot key reaches its copies once it is done (by deleting them, so the next read
        // refills them from the primary); deleting before could let a read refill them with the old value.
        var pool = table.PoolOf(key.Span);
        var answer = await KeyedCoreAsync(table, request, key, requestClass, kind, mode, meta, affinity, hotEligible: false).ConfigureAwait(false);
        InvalidateCopies(table, pool, hotKey, affinity);
        return answer;
    }

    private async Task<PooledBuffer?> KeyedCoreAsync(RouteTable table, PooledBuffer request, ReadOnlyMemory<byte> key,
        RequestClass requestClass, ReplyKind kind, ReplyMode mode, bool meta, int affinity, bool hotEligible)
    {
        var keepRequest = false;
        try
        {
            var pool = table.PoolOf(key.Span);
            var copies = pool.CopiesOf(key.Span);
            var wireKind = mode == ReplyMode.Normal ? kind : ReplyKind.UntilNoop;
            var appendNoop = mode != ReplyMode.Normal;
            if (requestClass == RequestClass.Read)
            {
                var hotSettings = table.Ring.Router.HotKeys;
                var hot = HotKeys.RecordRead(key.Span, hotSettings.ThresholdPerSecond, pool.HotKeys.Inc);
                if (hot is not null && hotEligible && key.Length <= MaxHotKeyLength
                    && await HotReadAsync(table, pool, hot, affinity).ConfigureAwait(false) is { } fromCopy)
                {
                    return fromCopy;
                }

                var target = ChooseRead(copies, table.Ring.Router.ReplicaReads);
                if (target is null)
                {
                    target = table.GutterOf(key.Span) is { IsUp: true } gutter ? gutter : null;
                    (target is null ? pool.AsMiss : pool.ToGutter).Inc();
                }

                if (target is null)
                    return Miss(kind, mode, meta);
                // The first attempt is awaited here directly: no second state machine and task per read.
                PendingReply reply;
                if (target.TryStart(request.Span, wireKind, appendNoop, affinity) is { } started)
                {
                    var status = await started.WaitAsync().ConfigureAwait(false);
                    reply = target.MustRetry(started, status)
                        ? await target.SendAsync(request.Memory, wireKind, appendNoop, affinity, retryTimeout: false).ConfigureAwait(false)
                        : started;
                }
                else
                {
                    reply = await target.SendAsync(request.Memory, wireKind, appendNoop, affinity).ConfigureAwait(false);
                }

                if (!TryFinish(reply, mode, out var answer))
                    return Miss(kind, mode, meta);
                if (hot is not null && hotEligible && key.Length <= MaxHotKeyLength && answer is not null)
                    FillCopy(table, pool, hot, answer.Span, affinity);
                return answer;
            }

            var live = 0;
            foreach (var copy in copies)
            {
                if (copy.IsUp)
                    live++;
                else if (requestClass == RequestClass.Delete)
                    copy.RememberDelete(key.Span);
            }

            if (live == 0)
                return await ToDownShardAsync(table, pool, request, key, requestClass, wireKind, mode, meta, affinity).ConfigureAwait(false);

            var sends = new Task<PendingReply>[live];
            var n = 0;
            foreach (var copy in copies)
            {
                if (copy.IsUp)
                    sends[n++] = copy.SendAsync(request.Memory, wireKind, appendNoop, affinity);
            }

            if (sends.Length == 1)
                return TryFinish(await sends[0].ConfigureAwait(false), mode, out var only) ? only : Error(mode);

            if (table.Ring.Router.Writes == WritePolicy.First)
            {
                keepRequest = true;
                _ = FreeWhenAllDoneAsync(sends, request);
                var pending = new List<Task<PendingReply>>(sends);
                while (pending.Count > 0)
                {
                    var done = await Task.WhenAny(pending).ConfigureAwait(false);
                    pending.Remove(done);
                    var reply = await done.ConfigureAwait(false);
                    if (TryFinish(reply, mode, out var first))
                        return first;
                }

                return Error(mode);
            }

            // Every copy must answer; the client gets the first successful reply in copy order (the primary's).
            await Task.WhenAll(sends).ConfigureAwait(false);
            PooledBuffer? chosen = null;
            var chosenFound = false;
            foreach (var send in sends)
            {
                var reply = send.Result;
                if (!chosenFound && TryFinish(reply, mode, out chosen))
                {
                    chosenFound = true;
                }
                else
                {
                    reply.Reply.Dispose();
                }
            }

            return chosenFound ? chosen : Error(mode);
        }
        finally
        {
            if (!keepRequest)
                request.Dispose();
        }
    }

    /// <summary>
    /// A get/gets/gat/gats with several keys: one sub-request per backend, sent at once, whose replies the returned
    /// relay merges in the client's key order with one END as they arrive. <paramref name="prefixLength"/> is the
    /// part of the line before the first key. The relay owns <paramref name="request"/>.
    /// </summary>
    /// <remarks>
    /// The sub-requests of a split get are queued on their connections under one lock shared by all sessions, so
    /// any two split gets are in the same order on every connection they share. A relay holds its connections
    /// back (it stops their reading while its client is behind) and may wait on one while holding another; with
    /// one order everywhere, the relay first in it never waits for another, so no two can wait for each other.
    /// </remarks>
    public MultiGetRelay MultiGet(RouteTable table, PooledBuffer request, int prefixLength, int lineLength, int affinity)
    {
        var keys = new List<(int Start, int Length)>();
        var line = request.Span[..lineLength];
        var enumerator = new KeyEnumerator(line[prefixLength..]);
        while (enumerator.MoveNext())
        {
            line.Overlaps(enumerator.Current, out var start);
            keys.Add((start, enumerator.Current.Length));
        }

        var groupOf = new int[keys.Count];
        var targets = new List<Backend>();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = line.Slice(keys[i].Start, keys[i].Length);
            var pool = table.PoolOf(key);
            HotKeys.RecordRead(key, table.Ring.Router.HotKeys.ThresholdPerSecond, pool.HotKeys.Inc);
            var target = ChooseRead(pool.CopiesOf(key), table.Ring.Router.ReplicaReads);
            if (target is null)
            {
                target = table.GutterOf(key) is { IsUp: true } gutter ? gutter : null;
                (target is null ? pool.AsMiss : pool.ToGutter).Inc();
            }

            groupOf[i] = target is null ? -1 : IndexOrAdd(targets, target);
        }

        var subReplies = new PendingReply[targets.Count];
        if (targets.Count == 1 && !groupOf.Contains(-1))
        {
            subReplies[0] = targets[0].SendStreamed(request.Span, affinity);
            return new MultiGetRelay(request, keys, groupOf, subReplies);
        }

        var subRequests = new PooledBuffer[targets.Count];
        for (var g = 0; g < targets.Count; g++)
        {
            var sub = new PooledBuffer(lineLength + 2);
            sub.Write(line[..prefixLength].TrimEnd((byte)' '));
            for (var i = 0; i < keys.Count; i++)
            {
                if (groupOf[i] != g)
                    continue;
                sub.Write(" "u8);
                sub.Write(line.Slice(keys[i].Start, keys[i].Length));
            }

            sub.Write("\r\n"u8);
            subRequests[g] = sub;
        }

        lock (SplitGetOrder)
        {
            for (var g = 0; g < targets.Count; g++)
                subReplies[g] = targets[g].SendStreamed(subRequests[g].Span, affinity);
        }

        foreach (var sub in subRequests)
            sub.Dispose();
        return new MultiGetRelay(request, keys, groupOf, subReplies);
    }

    /// <summary>flush_all goes to every backend of the ring; OK only when every one of them said OK.</summary>
    public async Task<PooledBuffer?> FanOutAsync(RouteTable table, PooledBuffer request, ReplyMode mode, int affinity)
    {
        try
        {
            var targets = table.All.Distinct().ToArray();
            // flush_all noreply gets no answer from a backend: an mn after it marks where its (absent) reply
            // ends, or the shared connection would hand the next request's reply to this one.
            var noReply = mode == ReplyMode.NoReply;
            var kind = noReply ? ReplyKind.UntilNoop : ReplyKind.Line;
            var sends = targets.Select(b => b.SendAsync(request.Memory, kind, appendNoop: noReply, affinity)).ToArray();
            await Task.WhenAll(sends).ConfigureAwait(false);
            var failed = 0;
            foreach (var send in sends)
            {
                using var reply = send.Result.Reply;
                if (send.Result.Status != ReplyStatus.Ok || (!noReply && !reply.Span.SequenceEqual(Replies.Ok)))
                    failed++;
            }

            if (mode == ReplyMode.NoReply)
                return null;
            return failed == 0
                ? PooledBuffer.From(Replies.Ok)
                : PooledBuffer.From(System.Text.Encoding.ASCII.GetBytes($"SERVER_ERROR flush_all failed on {failed} of {targets.Length} backends\r\n"));
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// A read of a hot key from one of its copies (<c>key#s</c> on distinct shards); the copy's reply is given
    /// the client's key. Null when the copy misses or cannot be reached: the caller then reads the primary and
    /// fills the copy.
    /// </summary>
    private static async Task<PooledBuffer?> HotReadAsync(RouteTable table, PoolRoute pool, HotKey hot, int affinity)
    {
        var suffixes = CopySuffixes(table, pool, hot);
        if (suffixes.Length == 0)
            return null;
        var copyKey = CopyKey(hot.Key, suffixes[Random.Shared.Next(suffixes.Length)]);
        var backend = ChooseRead(pool.CopiesOf(copyKey), table.Ring.Router.ReplicaReads);
        if (backend is null)
            return null;
        using var get = new PooledBuffer(copyKey.Length + 8);
        get.Write("get "u8);
        get.Write(copyKey);
        get.Write("\r\n"u8);
        var reply = await backend.SendAsync(get.Memory, ReplyKind.Retrieval, appendNoop: false, affinity).ConfigureAwait(false);
        using var copy = reply.Reply;
        if (reply.Status != ReplyStatus.Ok || !copy.Span.StartsWith("VALUE "u8))
            return null;
        // "VALUE key#s flags bytes\r\n<data>\r\nEND\r\n" becomes the same with the client's key.
        var span = copy.Span;
        var afterKey = 6 + copyKey.Length;
        var output = new PooledBuffer(span.Length);
        output.Write("VALUE "u8);
        output.Write(hot.Key);
        output.Write(span[afterKey..]);
        return output;
    }

    /// <summary>Stores a hot key's value (from the primary's reply) in one copy, with the copy TTL; not awaited.</summary>
    private static void FillCopy(RouteTable table, PoolRoute pool, HotKey hot, ReadOnlySpan<byte> reply, int affinity)
    {
        var newline = reply.IndexOf((byte)'\n');
        if (newline < 0 || !reply.StartsWith("VALUE "u8))
            return;
        var header = RequestLine.Parse(reply[..(newline > 0 && reply[newline - 1] == (byte)'\r' ? newline - 1 : newline)]);
        if (header.Count < 4 || !ProtocolNumbers.TryParseInt32(header[3], out var size) || newline + 1 + size > reply.Length)
            return;
        var suffixes = CopySuffixes(table, pool, hot);
        if (suffixes.Length == 0)
            return;
        var copyKey = CopyKey(hot.Key, suffixes[Random.Shared.Next(suffixes.Length)]);
        var backend = ChooseRead(pool.CopiesOf(copyKey), table.Ring.Router.ReplicaReads);
        if (backend is null)
            return;
        var set = new PooledBuffer(copyKey.Length + size + 64);
        set.Write("set "u8);
        set.Write(copyKey);
        set.Write(" "u8);
        set.Write(header[2]);
        set.Write(" "u8);
        set.Write(System.Text.Encoding.ASCII.GetBytes(table.Ring.Router.HotKeys.CopyTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        set.Write(" "u8);
        set.Write(header[3]);
        set.Write(" noreply\r\n"u8);
        set.Write(reply.Slice(newline + 1, size + 2));
        _ = SendAndFreeAsync(backend, set, affinity);
    }

    /// <summary>A write or delete of a hot key deletes its copies, so the next read refills them from the primary.</summary>
    private static void InvalidateCopies(RouteTable table, PoolRoute pool, HotKey hot, int affinity)
    {
        foreach (var suffix in CopySuffixes(table, pool, hot))
        {
            var copyKey = CopyKey(hot.Key, suffix);
            foreach (var backend in pool.CopiesOf(copyKey))
            {
                if (!backend.IsUp)
                {
                    backend.RememberDelete(copyKey);
                    continue;
                }

                var delete = new PooledBuffer(copyKey.Length + 20);
                delete.Write("delete "u8);
                delete.Write(copyKey);
                delete.Write(" noreply\r\n"u8);
                _ = SendAndFreeAsync(backend, delete, affinity);
            }
        }
    }

    private static async Task SendAndFreeAsync(Backend backend, PooledBuffer request, int affinity)
    {
        try
        {
            var reply = await backend.SendAsync(request.Memory, ReplyKind.UntilNoop, appendNoop: true, affinity).ConfigureAwait(false);
            reply.Reply.Dispose();
        }
        finally
        {
            request.Dispose();
        }
    }

    private static int[] CopySuffixes(RouteTable table, PoolRoute pool, HotKey hot)
    {
        var cached = hot.Copies;
        if (cached.Version == table.Version)
            return cached.Suffixes;
        var wanted = table.Ring.Router.HotKeys.Copies;
        Span<int> found = stackalloc int[Ring.HotKeyCopies.MaxCopies];
        var count = Ring.HotKeyCopies.FindSuffixes(pool.Pool.Table, hot.Key, wanted, found);
        var suffixes = found[..count].ToArray();
        hot.Copies = (table.Version, suffixes);
        return suffixes;
    }

    private static byte[] CopyKey(byte[] key, int suffix)
    {
        Span<byte> buffer = stackalloc byte[key.Length + Ring.HotKeyCopies.MaxSuffixLength];
        var length = Ring.HotKeyCopies.FormatCopyKey(key, suffix, buffer);
        return buffer[..length].ToArray();
    }

    /// <summary>Reads pick one live copy: uniformly at random, or the one with the fewest requests in flight.</summary>
    internal static Backend? ChooseRead(Backend[] copies, ReplicaReadPolicy policy)
    {
        if (copies.Length == 1)
            return copies[0].IsUp ? copies[0] : null;
        var live = 0;
        foreach (var copy in copies)
        {
            if (copy.IsUp)
                live++;
        }

        if (live == 0)
            return null;
        if (policy == ReplicaReadPolicy.LeastOutstanding)
        {
            Backend? best = null;
            var fewest = int.MaxValue;
            foreach (var copy in copies)
            {
                if (!copy.IsUp)
                    continue;
                var outstanding = copy.Outstanding;
                if (outstanding < fewest)
                {
                    fewest = outstanding;
                    best = copy;
                }
            }

            return best;
        }

        var pick = Random.Shared.Next(live);
        foreach (var copy in copies)
        {
            if (copy.IsUp && pick-- == 0)
                return copy;
        }

        return null;
    }

    private async Task<PooledBuffer?> ToDownShardAsync(RouteTable table, PoolRoute pool, PooledBuffer request,
        ReadOnlyMemory<byte> key, RequestClass requestClass, ReplyKind wireKind, ReplyMode mode, bool meta, int affinity)
    {
        var gutter = table.GutterOf(key.Span) is { IsUp: true } g ? g : null;
        if (gutter is null)
        {
            if (requestClass == RequestClass.Delete)
            {
                // Remembered for every copy above; the delete happens when the shard returns.
                pool.AsMiss.Inc();
                return mode == ReplyMode.Normal ? PooledBuffer.From(meta ? "HD\r\n"u8 : Replies.Deleted) : null;
            }

            pool.AsError.Inc();
            return mode == ReplyMode.NoReply ? null : PooledBuffer.From(ShardDown);
        }

        pool.ToGutter.Inc();
        using var capped = requestClass == RequestClass.Write ? CapTtl(request.Span, table.Ring.Gutter!.TtlCapSeconds, meta) : null;
        var reply = await gutter.SendAsync(capped?.Memory ?? request.Memory, wireKind, mode != ReplyMode.Normal, affinity).ConfigureAwait(false);
        return TryFinish(reply, mode, out var answer) ? answer : Error(mode);
    }

    /// <summary>
    /// A write for the gutter with its TTL capped, so the gutter's copy heals by itself: the exptime token of a
    /// text storage command, or the T flag of ms. Other writes (arithmetic, touch) go as they are.
    /// </summary>
    internal static PooledBuffer? CapTtl(ReadOnlySpan<byte> request, int capSeconds, bool meta)
    {
        var newline = request.IndexOf((byte)'\n');
        var lineEnd = newline > 0 && request[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        var line = RequestLine.Parse(request[..lineEnd]);
        var data = request[(newline + 1)..];
        var output = new PooledBuffer(request.Length + 16);
        Span<byte> number = stackalloc byte[20];
        Utf8Formatter.TryFormat(capSeconds, number, out var digits);
        var cap = number[..digits];
        if (meta)
        {
            if (line.Command != CommandType.MetaSet)
            {
                output.Dispose();
                return null;
            }

            output.Write(line[0]);
            for (var i = 1; i < line.Count; i++)
            {
                output.Write(" "u8);
                if (i >= 3 && line[i][0] == (byte)'T')
                {
                    output.Write("T"u8);
                    output.Write(Capped(line[i][1..], cap, capSeconds));
                }
                else
                {
                    output.Write(line[i]);
                }
            }

            if (!HasFlag(line, 3, (byte)'T'))
            {
                output.Write(" T"u8);
                output.Write(cap);
            }
        }
        else
        {
            if (line.Command is not (CommandType.Set or CommandType.Add or CommandType.Replace or CommandType.Cas
                or CommandType.Append or CommandType.Prepend) || line.Count < 5)
            {
                output.Dispose();
                return null;
            }

            for (var i = 0; i < line.Count; i++)
            {
                if (i > 0)
                    output.Write(" "u8);
                output.Write(i == 3 ? Capped(line[i], cap, capSeconds) : line[i]);
            }
        }

        output.Write("\r\n"u8);
        output.Write(data);
        return output;
    }

    private static ReadOnlySpan<byte> Capped(ReadOnlySpan<byte> exptime, ReadOnlySpan<byte> cap, int capSeconds) =>
        // 0 (never) and anything longer than the cap, including absolute times, become the cap; negative stays.
        ProtocolNumbers.TryParseInt64(exptime, out var seconds) && seconds != 0 && seconds <= capSeconds ? exptime : cap;

    private static bool HasFlag(in RequestLine line, int first, byte flag)
    {
        for (var i = first; i < line.Count; i++)
        {
            if (line[i][0] == flag)
                return true;
        }

        return false;
    }

    /// <summary>
    /// The client's reply from a finished send: false when the send failed (the caller decides what to answer);
    /// true with null when the client is owed nothing (noreply, or a quiet request the backend kept quiet about).
    /// </summary>
    private static bool TryFinish(PendingReply reply, ReplyMode mode, out PooledBuffer? answer)
    {
        answer = null;
        var buffer = reply.Reply;
        if (reply.Status != ReplyStatus.Ok)
        {
            buffer.Dispose();
            return false;
        }

        switch (mode)
        {
            case ReplyMode.NoReply:
                buffer.Dispose();
                return true;
            case ReplyMode.Quiet:
                // Drop the MN that bounded the reply.
                buffer.Truncate(buffer.Length - 4);
                if (buffer.Length == 0)
                    buffer.Dispose();
                else
                    answer = buffer;
                return true;
            default:
                answer = buffer;
                return true;
        }
    }

    private static PooledBuffer? Miss(ReplyKind kind, ReplyMode mode, bool meta)
    {
        if (mode != ReplyMode.Normal)
            return null;
        return PooledBuffer.From(meta || kind == ReplyKind.Meta ? Replies.MetaMiss : Replies.End);
    }

    private static PooledBuffer? Error(ReplyMode mode) => mode == ReplyMode.NoReply ? null : PooledBuffer.From(BackendError);

    private static int IndexOrAdd(List<Backend> targets, Backend target)
    {
        var index = targets.IndexOf(target);
        if (index >= 0)
            return index;
        targets.Add(target);
        return targets.Count - 1;
    }

    private static async Task FreeWhenAllDoneAsync(Task<PendingReply>[] sends, PooledBuffer request)
    {
        await Task.WhenAll(sends).ConfigureAwait(false);
        request.Dispose();
    }
}
