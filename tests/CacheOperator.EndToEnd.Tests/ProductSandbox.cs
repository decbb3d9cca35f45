using System.Diagnostics;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Sandbox;
using CacheOperator.Sandbox.Kubelet;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CacheOperator.EndToEnd.Tests;

/// <summary>
/// The sandbox (API server, controllers, process kubelet) in this process on an ephemeral port, with the
/// executables of this test's build configuration as the images, plus real kubectl and helm pointed at it.
/// Disposing stops every pod process; the kubelet also kills them if this process dies.
/// </summary>
internal sealed class ProductSandbox : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly ILoggerFactory _loggers;

    private ProductSandbox(SandboxServer server, string stateDirectory, string repositoryRoot, ILoggerFactory loggers, ITestOutputHelper output)
    {
        Server = server;
        StateDirectory = stateDirectory;
        RepositoryRoot = repositoryRoot;
        _loggers = loggers;
        _output = output;
        KubeconfigPath = Path.Combine(stateDirectory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster: {"{"} server: "{server.BaseAddress.ToString().TrimEnd('/')}" {"}"}
            users:
            - name: sandbox
              user: {"{}"}
            contexts:
            - name: sandbox
              context: {"{"} cluster: sandbox, user: sandbox, namespace: default {"}"}
            current-context: sandbox
            """);
    }

    public SandboxServer Server { get; }
    public IKubernetesClient Client => Server.Client;
    public string StateDirectory { get; }
    public string RepositoryRoot { get; }
    public string KubeconfigPath { get; }

    public static async Task<ProductSandbox> StartAsync(ITestOutputHelper output)
    {
        var root = ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("CacheOperator.sln not found above the test's folder");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var images = ImageResolver.FromRepository(root, new Dictionary<string, string>
        {
            ["cache-node"] = Built(root, "cache-node/src/CacheOperator.CacheNode", configuration, "cache-node"),
            ["operator"] = Built(root, "operator/src/CacheOperator.Operator", configuration, "cache-operator"),
        });
        var state = Directory.CreateTempSubdirectory("cacheoperator-e2e-").FullName;
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var server = await SandboxServer.StartAsync(new SandboxServerOptions
        {
            Port = 0,
            KubeletDirectory = Path.Combine(state, "kubelet"),
            Images = images,
        }, loggers);
        return new ProductSandbox(server, state, root, loggers, output);
    }

    private static string Built(string root, string project, string configuration, string assembly)
    {
        var path = Path.Combine(root, project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built");
    }

    public Task<string> KubectlAsync(params string[] args) =>
        RunAsync("/usr/bin/kubectl", ["--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(StateDirectory, "kube-cache"), .. args]);

    public Task<string> HelmAsync(params string[] args)
    {
        var helm = Path.Combine(RepositoryRoot, ".tools", "bin", "helm");
        Assert.True(File.Exists(helm), $"{helm} is missing: run `make tools`");
        return RunAsync(helm, [.. args, "--kubeconfig", KubeconfigPath]);
    }

    /// <summary>Runs a tool to completion (bounded); a failure fails the test with everything the tool said.</summary>
    private async Task<string> RunAsync(string file, IReadOnlyList<string> args, int timeoutSeconds = 240)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(StateDirectory, "helm-cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(StateDirectory, "helm-config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(StateDirectory, "helm-data");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish in {timeoutSeconds}s");
        }

        string output = await stdout, error = await stderr;
        _output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', args)}\n{output}{error}");
        if (process.ExitCode != 0)
        {
            await DumpAsync();
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', args)} exited {process.ExitCode}: {error}{output}");
        }

        return output;
    }

    /// <summary>The chart installed by the real helm into cache-operator, and its Deployment rolled out.</summary>
    public async Task InstallOperatorAsync()
    {
        await HelmAsync("install", "cache-operator", "charts/cache-operator", "--namespace", "cache-operator", "--create-namespace");
        await KubectlAsync("-n", "cache-operator", "rollout", "status", "deployment/cache-operator", "--timeout=180s");
    }

    /// <summary>A CacheCluster applied by kubectl from <paramref name="manifest"/>, waited for until Ready.</summary>
    public async Task ApplyClusterAsync(string name, string manifest)
    {
        var path = Path.Combine(StateDirectory, $"{name}.yaml");
        await File.WriteAllTextAsync(path, manifest);
        await KubectlAsync("apply", "-f", path);
        await KubectlAsync("wait", "--for=condition=Ready", $"cachecluster/{name}", "--timeout=180s");
    }

    /// <summary>The IP of a ready router pod of the cluster: where the tests' memcached clients connect.</summary>
    public async Task<string> RouterIPAsync(string cluster) =>
        (await Client.ListAsync<Pod>("default", new() { LabelSelector = $"app.kubernetes.io/instance={cluster},app.kubernetes.io/component=router" }))
            .Items.First(IsReady).Status!.PodIP!;

    /// <summary>Pods and the tail of every pod log, into the test output: what a failure needs to be understood.</summary>
    public async Task DumpAsync()
    {
        var pods = await Client.ListAsync<Pod>(null);
        foreach (var pod in pods.Items)
        {
            _output.WriteLine($"pod {pod.Metadata.Namespace}/{pod.Metadata.Name}: {pod.Status?.Phase} ip={pod.Status?.PodIP} " +
                $"ready={IsReady(pod)} restarts={pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount)}");
        }

        var logs = Path.Combine(StateDirectory, "kubelet", "pods");
        if (!Directory.Exists(logs))
            return;
        foreach (var file in Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            _output.WriteLine($"--- {Path.GetRelativePath(logs, file)} (last 15 of {lines.Length} lines)");
            foreach (var line in lines.TakeLast(15))
                _output.WriteLine(line.Length > 400 ? line[..400] : line);
        }
    }

    public static bool IsReady(Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Polls until <paramref name="condition"/> holds, or fails with <paramref name="what"/> after the bound.</summary>
    public async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe, Func<T, bool> condition, int seconds = 60)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        T? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await probe();
            if (last is not null && condition(last))
                return last;
            await Task.Delay(250);
        }

        await DumpAsync();
        Assert.Fail($"{what} did not happen within {seconds}s; last seen: {(last is null ? "nothing" : KubernetesJson.Serialize(last))}");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _loggers.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
