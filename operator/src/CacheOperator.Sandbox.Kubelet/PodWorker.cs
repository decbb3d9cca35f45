using System.Net;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models.Core;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Runs one pod (one uid) from its first sighting to its removal: address, volumes, containers, probes, faults,
/// status, and the graceful delete. One sync loop per pod; watch events and probe changes wake it early.
/// </summary>
internal sealed partial class PodWorker
{
    private readonly KubeletServices _services;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _removed = new();
    private readonly List<ContainerRuntime> _initContainers;
    private readonly List<ContainerRuntime> _containers;
    private Pod _pod;
    private IPAddress? _address;
    private string? _faultSeen;

    public PodWorker(KubeletServices services, Pod pod)
    {
        _services = services;
        _pod = pod;
        Uid = pod.Metadata.Uid ?? "";
        Directory = Path.Combine(services.Options.StateDirectory, "pods",
            $"{pod.Metadata.Namespace}_{pod.Metadata.Name}_{Uid}");
        _initContainers = [.. (pod.Spec.InitContainers ?? []).Select(c => new ContainerRuntime(c, true, NewBackoff()))];
        _containers = [.. pod.Spec.Containers.Select(c => new ContainerRuntime(c, false, NewBackoff()))];
        // A fault annotation already present when the kubelet first sees the pod was handled before (or by a
        // previous kubelet): only changes count.
        _faultSeen = FaultOf(pod);
        StartTime = DateTimeOffset.UtcNow;
    }

    public string Uid { get; }
    public string Directory { get; }
    public DateTimeOffset StartTime { get; }
    public string Name => $"{_pod.Metadata.Namespace}/{_pod.Metadata.Name}";

    /// <summary>Process ids of the containers running now (tests check these are gone after a delete).</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_lock)
                return [.. _initContainers.Concat(_containers).Select(c => c.Process?.Pid ?? 0).Where(pid => pid > 0)];
        }
    }

    private Pod Current
    {
        get
        {
            lock (_lock)
                return _pod;
        }
    }

    /// <summary>The latest state of the pod from the watch.</summary>
    public void Update(Pod pod)
    {
        lock (_lock)
            _pod = pod;
        Wake();
    }

    /// <summary>The pod is gone from the API server (force-deleted or deleted elsewhere): stop at once.</summary>
    public void MarkRemoved()
    {
        _removed.Cancel();
        Wake();
    }

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public async Task RunAsync(CancellationToken shutdown)
    {
        try
        {
            while (true)
            {
                var pod = Current;
                if (_removed.IsCancellationRequested)
                {
                    await StopContainersAsync(TimeSpan.Zero).ConfigureAwait(false);
                    break;
                }

                if (pod.Metadata.DeletionTimestamp is not null)
                {
                    await TerminateAsync(pod).ConfigureAwait(false);
                    break;
                }

                try
                {
                    await SyncAsync(pod, shutdown).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed sync (a full disk, a file in use) must not orphan the pod: the next one retries.
                    _services.Logger.LogWarning(e, "pod {Pod}: sync failed; retrying", Name);
                }

                await _wake.WaitAsync(_services.Options.SyncInterval, shutdown).ConfigureAwait(false);
            }

            Cleanup();
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Kubelet shutdown: the pod stays in the API server; its processes must not outlive us.
            var grace = TimeSpan.FromSeconds(Math.Min(GracePeriodSeconds(Current), _services.Options.ShutdownGracePeriod.TotalSeconds));
            await StopContainersAsync(grace).ConfigureAwait(false);
            ReleaseAddress();
        }
        catch (Exception e)
        {
            _services.Logger.LogError(e, "pod {Pod} worker failed; killing its containers", Name);
            await StopContainersAsync(TimeSpan.Zero).ConfigureAwait(false);
            ReleaseAddress();
        }
    }

    private async Task TerminateAsync(Pod pod)
    {
        var grace = TimeSpan.FromSeconds(GracePeriodSeconds(pod));
        _services.Logger.LogInformation("pod {Pod} is being deleted; stopping its containers (grace {Grace}s)", Name, grace.TotalSeconds);
        await StopContainersAsync(grace).ConfigureAwait(false);
        foreach (var container in _initContainers.Concat(_containers))
            container.Done = true;

        // Its processes are gone: its files go before the API server forgets the pod, so "pod gone" means gone.
        RemoveDirectory();
        try
        {
            await WriteStatusAsync(pod, CancellationToken.None).ConfigureAwait(false);
            // The confirmation a real kubelet sends: the API server removes the pod now.
            await _services.Client.DeleteAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name ?? "",
                new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = Uid }).ConfigureAwait(false);
            _services.Logger.LogInformation("pod {Pod} deleted", Name);
        }
        catch (KubernetesApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException)
        {
            _services.Logger.LogWarning(e, "could not confirm the deletion of pod {Pod}", Name);
        }
    }

    private static long GracePeriodSeconds(Pod pod) =>
        Math.Max(0, pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);

    private async Task StopContainersAsync(TimeSpan grace)
    {
        var stops = new List<Task>();
        foreach (var container in _initContainers.Concat(_containers))
        {
            if (container.Process is { } process)
            {
                container.ProbeStop?.Cancel();
                stops.Add(process.StopAsync(grace, _removed.Token));
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        foreach (var container in _initContainers.Concat(_containers))
            Reap(container, Current, restartAllowed: false);
    }

    private void Cleanup()
    {
        ReleaseAddress();
        RemoveDirectory();
    }

    private void RemoveDirectory()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory))
                System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException e)
        {
            _services.Logger.LogDebug(e, "could not remove {Directory}", Directory);
        }
    }

    private void ReleaseAddress()
    {
        if (_address is not null)
            _services.Addresses.Release(_address);
        _address = null;
    }

    private string EnsureAddress(Pod pod)
    {
        if (_address is null)
        {
            // After a kubelet restart a pod keeps the address its status shows, when nobody else took it.
            if (IPAddress.TryParse(pod.Status?.PodIP, out var previous) && _services.Addresses.TryReserve(previous))
                _address = previous;
            else
                _address = _services.Addresses.Allocate();
        }

        return _address.ToString();
    }

    private RestartBackoff NewBackoff() => new(_services.Options.BackoffInitial, _services.Options.BackoffMax);

    private static string? FaultOf(Pod pod) =>
        pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(KubeletServices.FaultAnnotation, out var value)
            ? value.Trim()
            : null;

    /// <summary>
    /// Acts on a change of the fault annotation (the kubelet never writes metadata, so it remembers what it
    /// handled instead of removing the annotation). To repeat a fault, change the value in between.
    /// </summary>
    private void HandleFault(Pod pod)
    {
        var fault = FaultOf(pod);
        if (fault == _faultSeen)
            return;
        _faultSeen = fault;
        var signal = fault switch
        {
            "kill" => Signals.Kill,
            "freeze" => Signals.Stop,
            "thaw" => Signals.Cont,
            _ => 0,
        };
        _services.Logger.LogInformation("pod {Pod}: fault \"{Fault}\" at resourceVersion {Version}", Name, fault,
            pod.Metadata.ResourceVersion);
        if (signal == 0)
            return;
        foreach (var container in _containers)
            container.Process?.Signal(signal);
    }
}
