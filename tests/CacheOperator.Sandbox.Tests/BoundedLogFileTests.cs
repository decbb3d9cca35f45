using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public sealed class BoundedLogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sandbox-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_PastTheBound_RotatesAndKeepsAtMostTwoFiles()
    {
        var path = Path.Combine(_dir, "c.log");
        using (var log = new BoundedLogFile(path, 100))
        {
            for (var i = 0; i < 50; i++)
                log.WriteLine($"line {i:00} ........");
        }

        Assert.True(new FileInfo(path).Length <= 100);
        Assert.True(new FileInfo(path + ".1").Length <= 100);
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
        Assert.EndsWith("line 49 ........\n", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
