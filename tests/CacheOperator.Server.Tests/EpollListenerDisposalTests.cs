using CacheOperator.Server.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Server.Tests;

/// <summary>
/// The host disposes the listener twice (it is both a singleton and a hosted service, each made by a factory, so the
/// container disposes it once per registration). Its epoll loops own raw descriptors: a second close would close
/// whatever the process opened since under the same numbers.
/// </summary>
public sealed class EpollListenerDisposalTests
{
    [Fact]
    public async Task DisposedTwice_LeavesDescriptorsOpenedSinceAlone()
    {
        var listener = new DirectSocketListener("127.0.0.1", 0, (_, _) => Task.CompletedTask, 64 * 1024,
            NullLogger<DirectSocketListener>.Instance, epollThreads: 2);
        await listener.StartAsync(CancellationToken.None);
        await listener.StopAsync(CancellationToken.None);
        listener.Dispose();

        // The lowest free numbers go to the next descriptors: these take the ones the loops just closed.
        var paths = Enumerable.Range(0, 8).Select(_ => Path.GetTempFileName()).ToList();
        var files = paths.Select(path => new FileStream(path, FileMode.Open, FileAccess.ReadWrite)).ToList();
        try
        {
            listener.Dispose();

            foreach (var file in files)
            {
                try
                {
                    file.Write([1, 2, 3]);
                    file.Flush(flushToDisk: true);
                }
                catch (IOException ex)
                {
                    Assert.Fail($"a descriptor opened after the first Dispose was closed by the second: {ex.Message}");
                }
            }

            foreach (var file in files)
                file.Dispose();
            Assert.All(paths, path => Assert.Equal(3, new FileInfo(path).Length));
        }
        finally
        {
            foreach (var file in files)
            {
                try
                {
                    file.Dispose();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Its descriptor was closed under it: the assertion above has already failed.
                }
            }

            foreach (var path in paths)
                File.Delete(path);
        }
    }
}
