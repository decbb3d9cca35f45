using System.Net;
using System.Net.Sockets;
using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;
using CacheOperator.Ring;

namespace CacheOperator.Node.IntegrationTests.Replication;

/// <summary>Starting nodes with (or without) a cluster token, and the bucket arithmetic the tests share.</summary>
public static class ReplicationNodes
{
    public const string Token = "integration-test-cluster-token";

    public const int BucketCount = 16384;

    /// <summary>The lower half of the ring: what the warm-up tests pull, so that the other half must stay out.</summary>
    public const string LowerHalf = "0-8191";

    public static bool InLowerHalf(string key) => BucketTable.BucketOf(Encoding.ASCII.GetBytes(key), BucketCount) <= 8191;

    /// <summary>A node whose cluster token is <paramref name="token"/>; null starts one with no token at all.</summary>
    public static CacheNodeProcess Start(string? token, int adminPort = 0) =>
        CacheNodeProcess.Start(
            environment: new Dictionary<string, string?>
            {
                // The test host's own environment must not leak a token (or a token file) into the node.
                ["CACHE_NODE_CLUSTER_TOKEN"] = token,
                ["CACHE_NODE_CLUSTER_TOKEN_FILE"] = null,
            },
            adminPort: adminPort);

    /// <summary>Waits (bounded) until nothing listens on the port any more and it can be bound again.</summary>
    public static void WaitUntilPortIsFree(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>
    /// Waits until the target has applied everything the source logged: the pull tails with no lag and its last
    /// applied sequence equals the source's, twice across more than a heartbeat interval (1 s), so that a
    /// mutation still in flight at the first look would have shown up at the second.
    /// </summary>
    public static async Task<StreamView> WaitCaughtUpAsync(AdminClient source, AdminClient target, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        (long Sequence, DateTime At)? firstSeen = null;
        while (true)
        {
            var pull = (await target.StreamsAsync(cancellation)).Pull;
            var served = (await source.StreamsAsync(cancellation)).Source;
            if (pull is { Phase: "Tailing", LagEntries: 0 } && served is not null && pull.LastSequence == served.LastSequence)
            {
                if (firstSeen is not { } seen || seen.Sequence != pull.LastSequence)
                {
                    firstSeen = (pull.LastSequence, DateTime.UtcNow);
                }
                else if (DateTime.UtcNow - seen.At > TimeSpan.FromSeconds(1.2))
                {
                    return pull;
                }
            }
            else
            {
                firstSeen = null;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The target did not catch up within {timeout.TotalSeconds:0}s; target pull: {pull}; source stream: {served}");
            }

            await Task.Delay(100, cancellation);
        }
    }
}
