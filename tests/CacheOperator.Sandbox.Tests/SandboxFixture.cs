using System.Net.Sockets;
using System.Text;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox.ApiServer;
using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

/// <summary>An API server and a kubelet in this process on an ephemeral port, with a temp state folder.</summary>
internal sealed class SandboxFixture : IAsyncDisposable
{
    private SandboxFixture(SandboxApiServer server, KubernetesClient client, SandboxKubelet kubelet, string stateDir)
    {
        Server = server;
        Client = client;
        Kubelet = kubelet;
        StateDirectory = stateDir;
    }

    public SandboxApiServer Server { get; }
    public KubernetesClient Client { get; }
    public SandboxKubelet Kubelet { get; }
    public string StateDirectory { get; }

    public static async Task<SandboxFixture> StartAsync()
    {
        var stateDir = Directory.CreateTempSubdirectory("sandbox-test-").FullName;
        var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { Port = 0 });
        var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.BaseAddress });
        var kubelet = new SandboxKubelet(client, new KubeletOptions
        {
            StateDirectory = stateDir,
            Images = ImageResolver.FromRepository(ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory)),
            ApiServer = server.BaseAddress,
            NodeStatusInterval = TimeSpan.FromSeconds(2),
            SyncInterval = TimeSpan.FromMilliseconds(200),
        });
        try
        {
            await kubelet.StartAsync();
        }
        catch
        {
            await kubelet.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }

        return new SandboxFixture(server, client, kubelet, stateDir);
    }

    public async ValueTask DisposeAsync()
    {
        await Kubelet.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public Task<Pod> CreatePodAsync(string json) => Client.CreateAsync(TestPods.Parse(json));

    /// <summary>Polls the pod until <paramref name="condition"/> holds (bounded); returns it, or fails with its last state.</summary>
    public async Task<Pod> WaitForPodAsync(string name, Func<Pod, bool> condition, int seconds = 30, string ns = "default")
    {
        Pod? pod = null;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            pod = await Client.GetAsync<Pod>(ns, name);
            if (pod is not null && condition(pod))
                return pod;
            await Task.Delay(100);
        }

        Assert.Fail($"pod {ns}/{name} did not reach the expected state in {seconds}s; last: {(pod is null ? "absent" : KubernetesJson.Serialize(pod.Status))}");
        return null!;
    }

    public async Task WaitForPodGoneAsync(string name, int seconds = 30, string ns = "default")
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await Client.GetAsync<Pod>(ns, name) is null)
                return;
            await Task.Delay(100);
        }

        Assert.Fail($"pod {ns}/{name} still exists after {seconds}s");
    }

    public static bool IsReady(Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static async Task<string> MemcachedVersionAsync(string ip, int port = 11211)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(ip, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("version\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read).Trim();
    }

    public static bool ProcessAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    /// <summary>What /proc says of a process, for a failure message: its stat line, parent and command line.</summary>
    public static string DescribeProcess(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat").Trim();
            var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return $"process {pid}: stat '{stat}', command '{command}'";
        }
        catch (IOException)
        {
            return $"process {pid}: gone";
        }
    }

    /// <summary>A cache-node pod bound to the sandbox node, ready when its admin /readyz answers.</summary>
    public static string CacheNodePod(string name, string extraContainerFields = "") => """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","namespace":"default"},
         "spec":{"nodeName":"sandbox-node","terminationGracePeriodSeconds":5,"containers":[{"name":"cache",
           "image":"ghcr.io/cacheoperator/cache-node:0.1.0",
           "args":["node","-p","11211","-l","$(POD_IP)","--admin-port","11212","-m","16"],
           "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
           "ports":[{"name":"memcached","containerPort":11211},{"name":"admin","containerPort":11212}],
           "readinessProbe":{"httpGet":{"path":"/readyz","port":"admin"},"periodSeconds":1,"failureThreshold":1,"timeoutSeconds":1}
           EXTRA }]}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("EXTRA", extraContainerFields, StringComparison.Ordinal);
}
