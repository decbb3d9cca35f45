using System.Text;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Processes run on the host, so a volume cannot appear at its mountPath. Instead every occurrence of a mount
/// path in a container's command, args and env values is replaced by the host folder that holds the volume.
/// A mount path matches only as a whole path prefix: <c>/etc/ring</c> matches <c>/etc/ring</c> and
/// <c>--file=/etc/ring/ring.json</c>, not <c>/etc/ringer</c> nor <c>/x/etc/ring</c>. Longer mount paths win.
/// </summary>
public sealed class MountPathRewriter
{
    private readonly List<(string MountPath, string HostPath)> _mounts;

    public MountPathRewriter(IEnumerable<KeyValuePair<string, string>> mountToHost)
    {
        ArgumentNullException.ThrowIfNull(mountToHost);
        _mounts = [.. mountToHost
            .Where(m => m.Key.Length > 1)
            .Select(m => (m.Key.TrimEnd('/'), m.Value.TrimEnd('/')))
            .OrderByDescending(m => m.Item1.Length)];
    }

    public string Rewrite(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_mounts.Count == 0 || !value.Contains('/', StringComparison.Ordinal))
            return value;

        var output = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var matched = false;
            if (value[i] == '/' && (i == 0 || !IsPathChar(value[i - 1])))
            {
                foreach (var (mount, host) in _mounts)
                {
                    var end = i + mount.Length;
                    if (string.CompareOrdinal(value, i, mount, 0, mount.Length) == 0
                        && (end == value.Length || value[end] == '/' || !IsPathChar(value[end])))
                    {
                        output.Append(host);
                        i = end;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                output.Append(value[i]);
                i++;
            }
        }

        return output.ToString();
    }

    private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-';
}
