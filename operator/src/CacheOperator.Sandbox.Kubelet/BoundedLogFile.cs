namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// A container's log file that never grows past a bound: when a write would pass it, the file becomes
/// <c>&lt;name&gt;.1</c> (replacing the previous one) and a new file starts, so at most twice the bound is kept.
/// </summary>
public sealed class BoundedLogFile : IDisposable
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly long _maxBytes;
    private FileStream? _stream;

    public BoundedLogFile(string path, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _path = path;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = Open();
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_stream is null)
                return;
            if (_stream.Length > 0 && _stream.Length + data.Length > _maxBytes)
            {
                _stream.Dispose();
                File.Move(_path, _path + ".1", overwrite: true);
                _stream = Open();
            }

            _stream.Write(data);
            _stream.Flush();
        }
    }

    public void WriteLine(string line) => Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
}
