namespace CacheOperator.Kubernetes.Configuration;

/// <summary>
/// The bearer token to send: fixed, or read from a file and re-read once the refresh interval has passed, so a
/// rotated projected token is picked up. A failed re-read keeps the last token (the kubelet swaps the file with
/// a symlink flip; a transient read error must not log the client out).
/// </summary>
internal sealed class BearerTokenSource
{
    private readonly string? _fixedToken;
    private readonly string? _file;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _token;
    private long _readAt;
    private bool _read;

    public BearerTokenSource(KubernetesClientConfiguration config, TimeProvider? time = null)
    {
        _fixedToken = config.BearerToken;
        _file = config.TokenFile;
        _refreshInterval = config.TokenRefreshInterval;
        _time = time ?? TimeProvider.System;
    }

    public string? Current()
    {
        if (_file is null)
            return _fixedToken;
        lock (_lock)
        {
            if (_read && _time.GetElapsedTime(_readAt) < _refreshInterval)
                return _token;
            try
            {
                _token = File.ReadAllText(_file).Trim();
            }
            catch (IOException) when (_read)
            {
            }
            catch (UnauthorizedAccessException) when (_read)
            {
            }
            _readAt = _time.GetTimestamp();
            _read = true;
            return _token;
        }
    }
}
