using CacheOperator.Kubernetes.Models.Core;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Kubelet;

internal sealed partial class PodWorker
{
    private const string ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    // Host variables a process needs to run at all (the .NET host finds its runtime through them); everything
    // else comes from the pod spec, as in a container.
    private static readonly string[] InheritedVariables =
        ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_CLI_HOME"];

    private async Task SyncAsync(Pod pod, CancellationToken ct)
    {
        var podIP = EnsureAddress(pod);
        HandleFault(pod);

        IReadOnlyDictionary<string, string>? volumes = null;
        string? serviceAccountDir = null;
        string? configError = null;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            volumes = VolumeMaterializer.Sync(pod, Directory, podIP, KubeletServices.HostIP, _services.Objects);
            if (pod.Spec.AutomountServiceAccountToken != false)
            {
                serviceAccountDir = VolumeMaterializer.SyncServiceAccount(pod, Directory);
                KubeconfigFile.Write(Path.Combine(Directory, "kubeconfig"), _services.Options.ApiServer, pod.Metadata.Namespace);
            }
        }
        catch (ContainerConfigException e)
        {
            configError = e.Message;
        }

        foreach (var container in _initContainers.Concat(_containers))
            Reap(container, pod, restartAllowed: true);

        var initialized = true;
        foreach (var init in _initContainers)
        {
            if (init.Succeeded)
                continue;
            initialized = false;
            await StartIfDueAsync(init, pod, podIP, volumes, serviceAccountDir, configError).ConfigureAwait(false);
            break;
        }

        if (initialized)
        {
            foreach (var container in _containers)
                await StartIfDueAsync(container, pod, podIP, volumes, serviceAccountDir, configError).ConfigureAwait(false);
        }

        await WriteStatusAsync(pod, ct).ConfigureAwait(false);
    }

    /// <summary>Notices a run that ended: records it and decides, by restart policy, whether another run follows.</summary>
    private void Reap(ContainerRuntime container, Pod pod, bool restartAllowed)
    {
        if (container.Process is not { HasExited: true } process)
            return;
        var exitCode = process.Exited.Result;
        container.ProbeStop?.Cancel();
        container.ProbeStop = null;
        container.Ready = false;
        container.LastTermination = new ContainerStateTerminated
        {
            ExitCode = exitCode,
            Signal = exitCode > 128 ? exitCode - 128 : null,
            Reason = exitCode == 0 ? "Completed" : "Error",
            StartedAt = process.StartedAt,
            FinishedAt = process.FinishedAt ?? DateTimeOffset.UtcNow,
            ContainerID = ContainerId(process),
        };
        lock (_lock)
            container.Process = null;
        LeftoverProcesses.Forget(Directory, container.Spec.Name);
        _ = process.DisposeAsync();

        var policy = pod.Spec.RestartPolicy ?? "Always";
        var restart = restartAllowed && (policy switch
        {
            "Never" => false,
            // Init containers run to completion: Always means OnFailure for them.
            "OnFailure" => exitCode != 0,
            _ => !container.IsInit || exitCode != 0,
        });
        _services.Logger.LogInformation("pod {Pod} container {Container} exited with {ExitCode}{Restart}", Name,
            container.Spec.Name, exitCode, restart ? "; restarting" : "");
        if (!restart)
        {
            container.Done = true;
            container.Waiting = null;
            return;
        }

        var delay = container.Backoff.Next(container.LastTermination.FinishedAt!.Value - process.StartedAt);
        container.NotBefore = DateTimeOffset.UtcNow + delay;
        container.Waiting = new ContainerStateWaiting
        {
            Reason = "CrashLoopBackOff",
            Message = $"back-off {delay.TotalSeconds:0.#}s restarting failed container={container.Spec.Name} pod={pod.Metadata.Name}_{pod.Metadata.Namespace}({Uid})",
        };
    }

    private async Task StartIfDueAsync(ContainerRuntime container, Pod pod, string podIP,
        IReadOnlyDictionary<string, string>? volumes, string? serviceAccountDir, string? configError)
    {
        if (container.Done || container.IsRunning || DateTimeOffset.UtcNow < container.NotBefore)
            return;
        var spec = container.Spec;
        if (!_services.Options.Images.TryResolve(spec.Image, out var target))
        {
            container.Waiting = new ContainerStateWaiting { Reason = "ErrImagePull", Message = _services.Options.Images.UnknownImageMessage(spec.Image) };
            return;
        }

        if (configError is not null || volumes is null)
        {
            container.Waiting = new ContainerStateWaiting { Reason = ContainerConfigException.ReasonName, Message = configError };
            return;
        }

        List<string> argv;
        Dictionary<string, string> environment;
        MountPathRewriter rewriter;
        try
        {
            var mounts = new List<KeyValuePair<string, string>>();
            foreach (var mount in spec.VolumeMounts ?? [])
            {
                if (!volumes.TryGetValue(mount.Name, out var hostDir))
                    throw new ContainerConfigException($"volume \"{mount.Name}\" is not defined in the pod");
                mounts.Add(new(mount.MountPath, string.IsNullOrEmpty(mount.SubPath) ? hostDir : Path.Combine(hostDir, mount.SubPath)));
            }

            if (serviceAccountDir is not null && mounts.All(m => m.Key.TrimEnd('/') != ServiceAccountMountPath))
                mounts.Add(new(ServiceAccountMountPath, serviceAccountDir));
            rewriter = new MountPathRewriter(mounts);

            var podEnvironment = ContainerEnvironment.Build(pod, spec, podIP, KubeletServices.HostIP, _services.Objects);
            environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in InheritedVariables)
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                    environment[name] = value;
            }

            environment["HOSTNAME"] = pod.Spec.Hostname ?? pod.Metadata.Name ?? "";
            if (serviceAccountDir is not null)
            {
                environment["KUBECONFIG"] = Path.Combine(Directory, "kubeconfig");
                environment["KUBERNETES_SERVICE_HOST"] = _services.Options.ApiServer.Host;
                environment["KUBERNETES_SERVICE_PORT"] = _services.Options.ApiServer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            foreach (var (name, value) in podEnvironment)
                environment[name] = rewriter.Rewrite(value);

            argv = BuildArguments(spec, target, podEnvironment, rewriter, out var replacedTarget);
            target = replacedTarget;
        }
        catch (ContainerConfigException e)
        {
            container.Waiting = new ContainerStateWaiting { Reason = ContainerConfigException.ReasonName, Message = e.Message };
            return;
        }

        var workingDirectory = Directory;
        if (!string.IsNullOrEmpty(spec.WorkingDir) && rewriter.Rewrite(spec.WorkingDir) is var dir && System.IO.Directory.Exists(dir))
            workingDirectory = dir;

        try
        {
            var process = await ContainerProcess.StartAsync(_services.Launcher, target, argv, environment, workingDirectory,
                Path.Combine(Directory, "logs", spec.Name + ".log"), _services.Options.MaxLogBytes).ConfigureAwait(false);
            lock (_lock)
                container.Process = process;
            LeftoverProcesses.Record(Directory, spec.Name, process.Pid);
            if (container.Runs > 0)
                container.RestartCount++;
            container.Runs++;
            container.Waiting = null;
            container.Environment = environment;
            container.WorkingDirectory = workingDirectory;
            container.ImageId = "sandbox://" + (target.PrefixArguments.FirstOrDefault() ?? target.FileName);
            _services.Logger.LogInformation("pod {Pod} container {Container} started: pid {Pid} on {PodIP}", Name, spec.Name, process.Pid, podIP);
            StartProbes(container, process, podIP);
            _ = process.Exited.ContinueWith(_ => Wake(), TaskScheduler.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException
            or ObjectDisposedException or UnauthorizedAccessException)
        {
            var delay = container.Backoff.Next(TimeSpan.Zero);
            container.NotBefore = DateTimeOffset.UtcNow + delay;
            container.Waiting = new ContainerStateWaiting { Reason = "RunContainerError", Message = e.Message };
            _services.Logger.LogWarning(e, "pod {Pod} container {Container} could not start", Name, spec.Name);
        }
    }

    /// <summary>
    /// The process's arguments. A command whose program is the image's own executable (by file name) runs that
    /// executable with the rest; any other command runs as a host program. Args follow, expanded.
    /// </summary>
    private static List<string> BuildArguments(Container spec, LaunchTarget imageTarget, IReadOnlyDictionary<string, string> env,
        MountPathRewriter rewriter, out LaunchTarget target)
    {
        string Expand(string value) => rewriter.Rewrite(VariableExpansion.Expand(value, name => env.GetValueOrDefault(name)));

        target = imageTarget;
        var argv = new List<string>();
        if (spec.Command is { Count: > 0 } command)
        {
            var program = Path.GetFileName(command[0]);
            var imageProgram = Path.GetFileNameWithoutExtension(imageTarget.PrefixArguments.FirstOrDefault() ?? imageTarget.FileName);
            var imageName = ImageResolver.ShortName(spec.Image);
            if (program != imageProgram && program != imageName)
                target = new LaunchTarget(Expand(command[0]), []);
            argv.AddRange(command.Skip(1).Select(Expand));
        }

        argv.AddRange((spec.Args ?? []).Select(Expand));
        return argv;
    }

    private static string ContainerId(ContainerProcess process) => $"sandbox://{process.Pid}";

    private void StartProbes(ContainerRuntime container, ContainerProcess process, string podIP)
    {
        var stop = new CancellationTokenSource();
        container.ProbeStop = stop;
        var spec = container.Spec;
        if (spec.ReadinessProbe is { } readiness && !container.IsInit)
            _ = ProbeLoopAsync(container, process, readiness, liveness: false, podIP, stop.Token);
        else
            container.Ready = true;
        if (spec.LivenessProbe is { } liveness && !container.IsInit)
            _ = ProbeLoopAsync(container, process, liveness, liveness: true, podIP, stop.Token);
    }

    private async Task ProbeLoopAsync(ContainerRuntime container, ContainerProcess process, Probe probe, bool liveness,
        string podIP, CancellationToken ct)
    {
        var tracker = new ProbeTracker(probe, initial: liveness);
        var env = container.Environment ?? new Dictionary<string, string>();
        var workingDirectory = container.WorkingDirectory;
        Task<int> Exec(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken token) =>
            ProbeRunner.RunHostCommandAsync(command, new Dictionary<string, string>(env), workingDirectory, timeout, token);
        try
        {
            await Task.Delay(tracker.InitialDelay, ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested && !process.HasExited)
            {
                var passed = await _services.Probes.RunAsync(probe, podIP, container.Spec, Exec, ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested)
                    return;
                if (tracker.Record(passed))
                {
                    if (liveness)
                    {
                        _services.Logger.LogInformation("pod {Pod} container {Container} failed its liveness probe; restarting", Name, container.Spec.Name);
                        _ = process.StopAsync(TimeSpan.FromSeconds(Math.Min(GracePeriodSeconds(Current), 5)), CancellationToken.None);
                        return;
                    }

                    container.Ready = tracker.State;
                    Wake();
                }

                await Task.Delay(tracker.Period, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _services.Logger.LogWarning(e, "pod {Pod} container {Container}: probe loop failed", Name, container.Spec.Name);
        }
    }
}
