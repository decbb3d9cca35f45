namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Writes a file so that a reader sees either the old or the new content, never a mix: write a temporary file
/// beside it, then rename over it (what the router relies on when it re-reads its ring file).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes when the content differs from what is there; returns whether it wrote.</summary>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            if (info.Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
                return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: false);
        }

        File.Move(temp, path, overwrite: true);
        return true;
    }
}
