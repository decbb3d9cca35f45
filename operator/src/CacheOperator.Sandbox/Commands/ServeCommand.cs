using System.Globalization;
using System.Runtime.InteropServices;
using CacheOperator.Sandbox.Kubelet;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Commands;

/// <summary>`sandbox serve`: runs the sandbox in the foreground until SIGTERM or SIGINT (what `up` starts detached).</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(StatePaths paths, int port, bool persist, IReadOnlyDictionary<string, string> images)
    {
        Directory.CreateDirectory(paths.Root);
        if (paths.LivePid() is { } other && other != Environment.ProcessId)
        {
            await Console.Error.WriteLineAsync($"sandbox: already running in {paths.Root} (pid {other})").ConfigureAwait(false);
            return 1;
        }

        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            }));
        var log = loggers.CreateLogger("CacheOperator.Sandbox");

        File.WriteAllText(paths.PidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            log.LogInformation("{Signal} received; stopping", context.Signal);
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        var root = ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory) ?? ImageResolver.FindRepositoryRoot(Environment.CurrentDirectory);
        var resolver = ImageResolver.FromRepository(root, images);
        log.LogInformation("images the sandbox can run: {Images}", string.Join(", ", resolver.Known));
        try
        {
            await using var server = await SandboxServer.StartAsync(new SandboxServerOptions
            {
                Port = port,
                SnapshotPath = persist ? paths.Snapshot : null,
                KubeletDirectory = paths.KubeletDirectory,
                Images = resolver,
            }, loggers, stop.Token).ConfigureAwait(false);

            Kubelet.KubeconfigFile.Write(paths.Kubeconfig, server.BaseAddress, "default");
            File.WriteAllText(paths.ServerFile, server.BaseAddress.GetLeftPart(UriPartial.Authority) + "\n");
            log.LogInformation("sandbox up: {Url}; kubeconfig {Kubeconfig}", server.BaseAddress, paths.Kubeconfig);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            log.LogInformation("stopping pods, controllers and the API server");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (File.Exists(paths.ServerFile))
                File.Delete(paths.ServerFile);
            if (File.Exists(paths.PidFile) && File.ReadAllText(paths.PidFile).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                File.Delete(paths.PidFile);
        }

        log.LogInformation("sandbox stopped");
        return 0;
    }
}
