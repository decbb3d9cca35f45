using System.Buffers;

namespace CacheOperator.Router.Backends;

/// <summary>A growable byte buffer over arrays rented from the shared pool; returned on <see cref="Dispose"/>.</summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public PooledBuffer(int capacity = 256) => _array = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length => _length;

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(in ReadOnlySequence<byte> bytes)
    {
        Ensure((int)bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += (int)bytes.Length;
    }

    public void Clear() => _length = 0;

    /// <summary>Drops bytes from the end.</summary>
    public void Truncate(int length) => _length = Math.Clamp(length, 0, _length);

    public static PooledBuffer From(ReadOnlySpan<byte> bytes)
    {
        var buffer = new PooledBuffer(bytes.Length);
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
        return buffer;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
            return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        _array.AsSpan(0, _length).CopyTo(larger);
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
