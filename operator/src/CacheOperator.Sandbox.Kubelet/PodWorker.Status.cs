using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Kubelet;

internal sealed partial class PodWorker
{
    // Fields of the status this kubelet owns: the merge patch names each, null when unset, so a value from an
    // earlier state (a reason, a message) does not linger.
    private static readonly string[] OwnedStatusFields =
        ["phase", "conditions", "message", "reason", "hostIP", "hostIPs", "podIP", "podIPs", "startTime",
         "containerStatuses", "initContainerStatuses"];

    private readonly Dictionary<string, (string Status, DateTimeOffset Since)> _conditionSince = new(StringComparer.Ordinal);
    private string? _lastStatus;

    private async Task WriteStatusAsync(Pod pod, CancellationToken ct)
    {
        var status = BuildStatus();
        var node = JsonSerializer.SerializeToNode(status, KubernetesJson.Options)!.AsObject();
        node["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = KubeletServices.HostIP });
        if (_initContainers.Count > 0)
            node["initContainerStatuses"] = JsonSerializer.SerializeToNode(_initContainers.Select(ContainerStatusOf).ToList(), KubernetesJson.Options);
        foreach (var field in OwnedStatusFields)
        {
            if (!node.ContainsKey(field))
                node[field] = null;
        }

        var text = node.ToJsonString();
        if (text == _lastStatus)
            return;
        var patch = new JsonObject { ["status"] = node }.ToJsonString();
        try
        {
            await _services.Client.PatchAsync<Pod>(pod.Metadata.Namespace, pod.Metadata.Name ?? "", PatchType.Merge, patch, "status", ct)
                .ConfigureAwait(false);
            _lastStatus = text;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            MarkRemoved();
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException)
        {
            _services.Logger.LogWarning(e, "could not write the status of pod {Pod}; retrying", Name);
        }
    }

    private PodStatus BuildStatus()
    {
        var initDone = _initContainers.All(c => c.Succeeded);
        var initFailed = _initContainers.Any(c => c.Done && !c.Succeeded);
        string phase;
        if (initFailed)
            phase = "Failed";
        else if (!initDone)
            phase = "Pending";
        else if (_containers.All(c => c.Done))
            phase = _containers.All(c => c.Succeeded) ? "Succeeded" : "Failed";
        else
            phase = _containers.Any(c => c.Runs > 0) ? "Running" : "Pending";

        var unready = _containers.Where(c => !(c.IsRunning && c.Ready)).ToList();
        var unreadyMessage = unready.Count == 0
            ? null
            : $"containers with unready status: [{string.Join(' ', unready.Select(c => c.Spec.Name))}]"
              + string.Concat(unready.Where(c => c.Waiting?.Message is not null)
                  .Select(c => $"; {c.Spec.Name}: {c.Waiting!.Reason}: {c.Waiting.Message}"));
        var incomplete = _initContainers.Where(c => !c.Succeeded).Select(c => c.Spec.Name).ToList();

        var conditions = new List<Condition>
        {
            ConditionOf("Initialized", incomplete.Count == 0, "ContainersNotInitialized",
                $"containers with incomplete status: [{string.Join(' ', incomplete)}]"),
            ConditionOf("Ready", unready.Count == 0, "ContainersNotReady", unreadyMessage),
            ConditionOf("ContainersReady", unready.Count == 0, "ContainersNotReady", unreadyMessage),
            ConditionOf("PodScheduled", true, null, null),
        };

        var podIP = _address?.ToString();
        return new PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = KubeletServices.HostIP,
            PodIP = podIP,
            PodIPs = podIP is null ? null : [new PodIP { IP = podIP }],
            StartTime = StartTime,
            ContainerStatuses = [.. _containers.Select(ContainerStatusOf)],
        };
    }

    private Condition ConditionOf(string type, bool isTrue, string? reason, string? message)
    {
        var status = isTrue ? "True" : "False";
        if (!_conditionSince.TryGetValue(type, out var since) || since.Status != status)
        {
            since = (status, TruncateToSeconds(DateTimeOffset.UtcNow));
            _conditionSince[type] = since;
        }

        return new Condition
        {
            Type = type,
            Status = status,
            LastTransitionTime = since.Since,
            Reason = isTrue ? null : reason,
            Message = isTrue ? null : message,
        };
    }

    private ContainerStatus ContainerStatusOf(ContainerRuntime container)
    {
        var process = container.Process;
        ContainerState state;
        if (process is not null)
            state = new ContainerState { Running = new ContainerStateRunning { StartedAt = TruncateToSeconds(process.StartedAt) } };
        else if (container.Done && container.LastTermination is not null)
            state = new ContainerState { Terminated = Truncated(container.LastTermination) };
        else
            state = new ContainerState
            {
                Waiting = container.Waiting ?? new ContainerStateWaiting
                {
                    Reason = container.IsInit || _initContainers.All(c => c.Succeeded) ? "ContainerCreating" : "PodInitializing",
                },
            };

        return new ContainerStatus
        {
            Name = container.Spec.Name,
            Image = container.Spec.Image,
            ImageID = container.ImageId ?? "",
            ContainerID = process is not null ? ContainerId(process) : container.Done ? container.LastTermination?.ContainerID : null,
            Ready = process is not null && container.Ready,
            Started = process is not null,
            RestartCount = container.RestartCount,
            State = state,
            LastState = state.Terminated is null && container.LastTermination is not null
                ? new ContainerState { Terminated = Truncated(container.LastTermination) }
                : new ContainerState(),
        };
    }

    private static ContainerStateTerminated Truncated(ContainerStateTerminated t) => new()
    {
        ExitCode = t.ExitCode,
        Signal = t.Signal,
        Reason = t.Reason,
        Message = t.Message,
        StartedAt = t.StartedAt is { } s ? TruncateToSeconds(s) : null,
        FinishedAt = t.FinishedAt is { } f ? TruncateToSeconds(f) : null,
        ContainerID = t.ContainerID,
    };

    // The API's Time has second precision; writing what the server would store keeps the comparison stable.
    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Offset);
}
