using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// The sandbox's kubelet: registers its Node, watches the pods bound to it (fieldSelector spec.nodeName) and runs
/// each as host processes, reporting through pods/status. It talks to the API server only through
/// <see cref="IKubernetesClient"/>, like a kubelet of a real cluster.
/// </summary>
public sealed class SandboxKubelet : IAsyncDisposable
{
    private readonly IKubernetesClient _client;
    private readonly KubeletOptions _options;
    private readonly ILogger _logger;
    private readonly ProcessLauncher _launcher = new();
    private readonly HttpClient _probeHttp = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly ConcurrentDictionary<string, (PodWorker Worker, Task Run)> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _finished = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly WatchCache<Pod> _pods;
    private readonly WatchCache<ConfigMap> _configMaps;
    private readonly WatchCache<Secret> _secrets;
    private readonly KubeletServices _services;
    private readonly List<Task> _loops = [];
    private readonly string _readySince = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    private int _stopped;

    public SandboxKubelet(IKubernetesClient client, KubeletOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("CacheOperator.Sandbox.Kubelet");
        Addresses = new LoopbackAddressPool(options.AddressLeaseDirectory);
        _pods = new WatchCache<Pod>(client, new ListOptions { FieldSelector = $"spec.nodeName={options.NodeName}" }, _logger);
        _configMaps = new WatchCache<ConfigMap>(client, new ListOptions(), _logger);
        _secrets = new WatchCache<Secret>(client, new ListOptions(), _logger);
        _services = new KubeletServices(client, options, _launcher, Addresses, new CacheObjectSource(_configMaps, _secrets),
            new ProbeRunner(_probeHttp), _logger);
        _pods.Upserted += OnPod;
        _pods.Deleted += OnPodDeleted;
    }

    public LoopbackAddressPool Addresses { get; }

    public string NodeName => _options.NodeName;

    private static string Architecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether container processes get their own process group and die with the kubelet.</summary>
    public bool IsolatesProcesses => _launcher.Isolates;

    /// <summary>Process ids of every container running now.</summary>
    public IReadOnlyList<int> ProcessIds => [.. _workers.Values.SelectMany(w => w.Worker.ProcessIds)];

    /// <summary>Process ids of the containers of the pod with this uid (empty when the kubelet runs none).</summary>
    public IReadOnlyList<int> ProcessIdsOf(string uid) =>
        _workers.TryGetValue(uid, out var entry) ? entry.Worker.ProcessIds : [];

    /// <summary>The host folder of a pod (volumes, logs): state/pods/&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;.</summary>
    public string PodDirectory(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Path.Combine(_options.StateDirectory, "pods", $"{pod.Metadata.Namespace}_{pod.Metadata.Name}_{pod.Metadata.Uid}");
    }

    /// <summary>Registers the Node and starts watching; returns once the Node is Ready and the caches have listed.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.Combine(_options.StateDirectory, "pods"));
        foreach (var pid in LeftoverProcesses.KillAll(_options.StateDirectory))
            _logger.LogWarning("killed process {Pid} left behind by an earlier kubelet", pid);
        await RegisterNodeAsync(ct).ConfigureAwait(false);
        _loops.Add(Task.Run(() => _configMaps.RunAsync(_stop.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => _secrets.RunAsync(_stop.Token), CancellationToken.None));
        await Task.WhenAll(_configMaps.Synced, _secrets.Synced).WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        _loops.Add(Task.Run(() => _pods.RunAsync(_stop.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => HeartbeatAsync(_stop.Token), CancellationToken.None));
        await _pods.Synced.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        _logger.LogInformation("kubelet for node {Node} started (process isolation: {Isolation})", NodeName, _launcher.Isolates);
    }

    /// <summary>Stops every container (SIGTERM, then SIGKILL after the shutdown grace) and the watches. Pods stay in the API server.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers.Values.Select(w => w.Run)).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("kubelet watches did not stop within 10s");
        }

        _launcher.Dispose();
        _probeHttp.Dispose();
        Addresses.Dispose();
        _logger.LogInformation("kubelet for node {Node} stopped", NodeName);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void OnPod(Pod pod)
    {
        var uid = pod.Metadata.Uid;
        if (uid is null || pod.Spec.NodeName != NodeName || _stop.IsCancellationRequested || _finished.ContainsKey(uid))
            return;
        if (_workers.TryGetValue(uid, out var existing))
        {
            existing.Worker.Update(pod);
            return;
        }

        var worker = new PodWorker(_services, pod);
        var run = Task.Run(async () =>
        {
            await worker.RunAsync(_stop.Token).ConfigureAwait(false);
            if (!_stop.IsCancellationRequested)
            {
                _finished.TryAdd(uid, 0);
                _workers.TryRemove(uid, out _);
            }
        }, CancellationToken.None);
        _workers[uid] = (worker, run);
    }

    private void OnPodDeleted(Pod pod)
    {
        if (pod.Metadata.Uid is { } uid && _workers.TryGetValue(uid, out var entry))
            entry.Worker.MarkRemoved();
    }

    private async Task RegisterNodeAsync(CancellationToken ct)
    {
        var node = new Node();
        node.Metadata.Name = NodeName;
        node.Metadata.Labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = Architecture,
            ["node.kubernetes.io/instance-type"] = "sandbox",
        };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await _client.GetAsync<Node>(null, NodeName, ct).ConfigureAwait(false) is null)
                    await _client.CreateAsync(node, ct).ConfigureAwait(false);
                await PatchNodeStatusAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < 50 && e is KubernetesApiException or HttpRequestException or IOException)
            {
                _logger.LogDebug(e, "registering node {Node} failed; retrying", NodeName);
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
            }
        }
    }

    private Task PatchNodeStatusAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var memoryKi = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024;
        var capacity = new JsonObject
        {
            ["cpu"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memory"] = $"{memoryKi}Ki",
            ["pods"] = "110",
            ["ephemeral-storage"] = "10Gi",
        };
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "KubeletReady",
                ["message"] = "sandbox kubelet is posting ready status",
                ["lastHeartbeatTime"] = now,
                ["lastTransitionTime"] = _readySince,
            }),
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = KubeletServices.HostIP },
                new JsonObject { ["type"] = "Hostname", ["address"] = NodeName }),
            ["capacity"] = capacity,
            ["allocatable"] = capacity.DeepClone(),
            ["nodeInfo"] = new JsonObject
            {
                ["kubeletVersion"] = "v1.32.0-sandbox",
                ["containerRuntimeVersion"] = "sandbox-process://1",
                ["operatingSystem"] = "linux",
                ["architecture"] = Architecture,
                ["osImage"] = "CacheOperator sandbox",
                ["kernelVersion"] = Environment.OSVersion.VersionString,
                ["kubeProxyVersion"] = "",
                ["machineID"] = "",
                ["systemUUID"] = "",
                ["bootID"] = "",
            },
        };
        var patch = new JsonObject { ["status"] = status }.ToJsonString();
        return _client.PatchAsync<Node>(null, NodeName, PatchType.Merge, patch, "status", ct);
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.NodeStatusInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    try
                    {
                        await PatchNodeStatusAsync(ct).ConfigureAwait(false);
                    }
                    catch (KubernetesApiException e) when (e.IsNotFound)
                    {
                        // Someone deleted the Node: register again, as a kubelet does.
                        await RegisterNodeAsync(ct).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "node {Node} heartbeat failed", NodeName);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
