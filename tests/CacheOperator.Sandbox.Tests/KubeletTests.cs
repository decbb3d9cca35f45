using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Tests;

public sealed class KubeletTests
{
    [Fact]
    public async Task Node_IsRegisteredReadyWithLoopbackAddress()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        var node = await sandbox.Client.GetAsync<Node>(null, "sandbox-node");
        Assert.NotNull(node);
        Assert.Contains(node.Status!.Conditions!, c => c.Type == "Ready" && c.Status == "True");
        Assert.Contains(node.Status.Addresses!, a => a.Type == "InternalIP" && a.Address == "127.0.0.1");
        Assert.True(node.Status.Capacity!.ContainsKey("memory"));
    }

    [Fact]
    public async Task CacheNodePod_BecomesReady_SurvivesFaults_AndIsDeletedGracefully()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        await sandbox.CreatePodAsync(SandboxFixture.CacheNodePod("cache"));

        var pod = await sandbox.WaitForPodAsync("cache", SandboxFixture.IsReady);
        Assert.Equal("Running", pod.Status!.Phase);
        Assert.StartsWith("127.1.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", pod.Status.HostIP);
        Assert.StartsWith("VERSION", await SandboxFixture.MemcachedVersionAsync(pod.Status.PodIP!), StringComparison.Ordinal);
        var firstPid = Assert.Single(sandbox.Kubelet.ProcessIdsOf(pod.Metadata.Uid!));

        // kill: the process dies, the kubelet restarts it and counts the restart.
        await sandbox.Client.PatchAsync<Pod>("default", "cache", PatchType.Merge,
            """{"metadata":{"annotations":{"sandbox.cacheoperator.io/fault":"kill"}}}""");
        pod = await sandbox.WaitForPodAsync("cache", p => p.Status?.ContainerStatuses?[0].RestartCount == 1 && SandboxFixture.IsReady(p));
        var status = pod.Status!.ContainerStatuses![0];
        Assert.Equal(137, status.LastState?.Terminated?.ExitCode);
        Assert.False(SandboxFixture.ProcessAlive(firstPid));
        Assert.StartsWith("VERSION", await SandboxFixture.MemcachedVersionAsync(pod.Status.PodIP!), StringComparison.Ordinal);

        // freeze: the process stays but answers nothing, so readiness fails; thaw brings it back.
        await sandbox.Client.PatchAsync<Pod>("default", "cache", PatchType.Merge,
            """{"metadata":{"annotations":{"sandbox.cacheoperator.io/fault":"freeze"}}}""");
        pod = await sandbox.WaitForPodAsync("cache", p => !SandboxFixture.IsReady(p));
        Assert.Equal("Running", pod.Status!.Phase);
        Assert.Equal(1, pod.Status.ContainerStatuses![0].RestartCount);
        await sandbox.Client.PatchAsync<Pod>("default", "cache", PatchType.Merge,
            """{"metadata":{"annotations":{"sandbox.cacheoperator.io/fault":"thaw"}}}""");
        pod = await sandbox.WaitForPodAsync("cache", SandboxFixture.IsReady);

        // delete: SIGTERM, the process exits, the kubelet confirms and the pod is gone.
        var pid = Assert.Single(sandbox.Kubelet.ProcessIdsOf(pod.Metadata.Uid!));
        Assert.True(SandboxFixture.ProcessAlive(pid));
        await sandbox.Client.DeleteAsync<Pod>("default", "cache");
        await sandbox.WaitForPodGoneAsync("cache");
        Assert.False(SandboxFixture.ProcessAlive(pid),
            $"the container outlived its pod: {SandboxFixture.DescribeProcess(pid)}; kubelet runs [{string.Join(", ", sandbox.Kubelet.ProcessIds)}]");
        Assert.Empty(sandbox.Kubelet.ProcessIds);
        Assert.False(Directory.Exists(sandbox.Kubelet.PodDirectory(pod)));
    }

    [Fact]
    public async Task UnknownImage_StaysPendingWithErrImagePull()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        await sandbox.CreatePodAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
             "spec":{"nodeName":"sandbox-node","containers":[{"name":"web","image":"nginx:1.27"}]}}
            """);
        var pod = await sandbox.WaitForPodAsync("web", p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");
        Assert.Equal("Pending", pod.Status!.Phase);
        // "operator" is listed too once the operator executable is built.
        Assert.StartsWith("image nginx:1.27 is not one the sandbox can run (known: cache-node",
            pod.Status.ContainerStatuses![0].State!.Waiting!.Message, StringComparison.Ordinal);
        var ready = Assert.Single(pod.Status.Conditions!, c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Contains("ErrImagePull", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigMapVolume_IsVisibleThroughTheRewrittenPath_AndResyncedOnUpdate()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        await sandbox.Client.CreateAsync(TestPods.ConfigMap("default", "ring", new() { ["ring.json"] = "version-1" }));
        // A host shell stands in for a program that re-reads its file: it copies the file it was given every 100 ms.
        await sandbox.CreatePodAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"reader","namespace":"default"},
             "spec":{"nodeName":"sandbox-node","terminationGracePeriodSeconds":1,"containers":[{"name":"reader",
               "image":"ghcr.io/cacheoperator/cache-node:0.1.0",
               "command":["/bin/sh","-c"],
               "args":["while true; do cat /etc/ring/ring.json > seen.txt; echo $RING_FILE > env.txt; sleep 0.1; done"],
               "env":[{"name":"RING_FILE","value":"/etc/ring/ring.json"}],
               "volumeMounts":[{"name":"ring","mountPath":"/etc/ring","readOnly":true}]}],
               "volumes":[{"name":"ring","configMap":{"name":"ring"}}]}}
            """);
        var pod = await sandbox.WaitForPodAsync("reader", p => p.Status?.Phase == "Running");
        var podDir = sandbox.Kubelet.PodDirectory(pod);
        await WaitForFileAsync(Path.Combine(podDir, "seen.txt"), "version-1");
        Assert.Equal(Path.Combine(podDir, "volumes", "ring", "ring.json"), File.ReadAllText(Path.Combine(podDir, "env.txt")).Trim());

        var cm = await sandbox.Client.GetAsync<ConfigMap>("default", "ring");
        cm!.Data!["ring.json"] = "version-2";
        await sandbox.Client.ReplaceAsync(cm);
        await WaitForFileAsync(Path.Combine(podDir, "seen.txt"), "version-2");
    }

    [Fact]
    public async Task RestartPolicyNever_FailedContainer_PodFailsWithExitCode()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        await sandbox.CreatePodAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"once","namespace":"default"},
             "spec":{"nodeName":"sandbox-node","restartPolicy":"Never","containers":[{"name":"c",
               "image":"ghcr.io/cacheoperator/cache-node:0.1.0","command":["/bin/sh","-c","exit 4"]}]}}
            """);
        var pod = await sandbox.WaitForPodAsync("once", p => p.Status?.Phase == "Failed");
        var status = pod.Status!.ContainerStatuses![0];
        Assert.Equal(4, status.State?.Terminated?.ExitCode);
        Assert.Equal(0, status.RestartCount);
    }

    [Fact]
    public async Task LivenessFailure_RestartsTheContainer()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        // Nothing listens on the probed port, so every liveness check fails.
        await sandbox.CreatePodAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sick","namespace":"default"},
             "spec":{"nodeName":"sandbox-node","terminationGracePeriodSeconds":1,"containers":[{"name":"c",
               "image":"ghcr.io/cacheoperator/cache-node:0.1.0","command":["/bin/sh","-c","sleep 60"],
               "livenessProbe":{"tcpSocket":{"port":1},"periodSeconds":1,"failureThreshold":1}}]}}
            """);
        var pod = await sandbox.WaitForPodAsync("sick", p => p.Status?.ContainerStatuses?[0].RestartCount >= 1);
        Assert.NotNull(pod.Status!.ContainerStatuses![0].LastState?.Terminated);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public async Task InitContainersRunFirst_AndContainersGetTheSandboxKubeconfig()
    {
        await using var sandbox = await SandboxFixture.StartAsync();
        await sandbox.CreatePodAsync("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"init","namespace":"default"},
             "spec":{"nodeName":"sandbox-node","terminationGracePeriodSeconds":1,
               "initContainers":[{"name":"prepare","image":"ghcr.io/cacheoperator/cache-node:0.1.0",
                 "command":["/bin/sh","-c","echo prepared > /scratch/marker"],
                 "volumeMounts":[{"name":"work","mountPath":"/scratch"}]}],
               "containers":[{"name":"main","image":"ghcr.io/cacheoperator/cache-node:0.1.0",
                 "command":["/bin/sh","-c","cat /scratch/marker > /scratch/seen; echo $KUBECONFIG > /scratch/kubeconfig-path; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace > /scratch/ns; sleep 60"],
                 "volumeMounts":[{"name":"work","mountPath":"/scratch"}]}],
               "volumes":[{"name":"work","emptyDir":{}}]}}
            """);
        var pod = await sandbox.WaitForPodAsync("init", p => p.Status?.Phase == "Running" && SandboxFixture.IsReady(p));
        Assert.Contains(pod.Status!.Conditions!, c => c.Type == "Initialized" && c.Status == "True");
        var work = Path.Combine(sandbox.Kubelet.PodDirectory(pod), "volumes", "work");
        await WaitForFileAsync(Path.Combine(work, "ns"), "default");
        Assert.Equal("prepared", File.ReadAllText(Path.Combine(work, "seen")).Trim());
        var kubeconfig = File.ReadAllText(File.ReadAllText(Path.Combine(work, "kubeconfig-path")).Trim());
        Assert.Contains("server: " + sandbox.Server.BaseAddress.GetLeftPart(UriPartial.Authority), kubeconfig, StringComparison.Ordinal);
    }

    private static async Task WaitForFileAsync(string path, string content)
    {
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if (File.Exists(path) && File.ReadAllText(path).Trim() == content)
                    return;
            }
            catch (IOException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} never held \"{content}\" (last: {(File.Exists(path) ? File.ReadAllText(path) : "absent")})");
    }
}
