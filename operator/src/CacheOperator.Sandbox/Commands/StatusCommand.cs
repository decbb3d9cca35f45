using System.Globalization;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Configuration;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Commands;

/// <summary>`sandbox status`: up or down, the API URL, the node, and every pod as a table. Exit code 0 when up.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(StatePaths paths)
    {
        var pid = paths.LivePid();
        var url = paths.ServerUrl();
        if (pid is null || url is null)
        {
            Console.WriteLine($"sandbox: down ({paths.Root})");
            return 1;
        }

        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = url, MaxRetries = 1 });
        Console.WriteLine($"sandbox: up (pid {pid})");
        Console.WriteLine($"API:        {url.GetLeftPart(UriPartial.Authority)}");
        Console.WriteLine($"kubeconfig: {paths.Kubeconfig}");
        try
        {
            var nodes = await client.ListAsync<Node>(null).ConfigureAwait(false);
            foreach (var node in nodes.Items)
            {
                var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status ?? "Unknown";
                Console.WriteLine($"node:       {node.Metadata.Name} (Ready={ready})");
            }

            var pods = await client.ListAsync<Pod>(null).ConfigureAwait(false);
            Console.WriteLine();
            Console.Write(RenderPods(pods.Items, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is HttpRequestException or KubernetesApiException or TaskCanceledException)
        {
            Console.WriteLine($"API not answering: {e.Message}");
            return 1;
        }

        return 0;
    }

    public static string RenderPods(IEnumerable<Pod> pods, DateTimeOffset now)
    {
        var rows = new List<string[]> { new[] { "NAMESPACE", "NAME", "PHASE", "READY", "IP", "RESTARTS", "AGE" } };
        foreach (var pod in pods.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var statuses = pod.Status?.ContainerStatuses ?? [];
            var phase = pod.Metadata.DeletionTimestamp is not null ? "Terminating" : pod.Status?.Phase ?? "Pending";
            rows.Add(
            [
                pod.Metadata.Namespace ?? "",
                pod.Metadata.Name ?? "",
                phase,
                $"{statuses.Count(s => s.Ready)}/{pod.Spec.Containers.Count}",
                pod.Status?.PodIP ?? "<none>",
                statuses.Sum(s => s.RestartCount).ToString(CultureInfo.InvariantCulture),
                pod.Metadata.CreationTimestamp is { } created ? Age(now - created) : "",
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
            text.Append(string.Join("   ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }

    private static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 0 => "0s",
        < 120 => $"{(int)age.TotalSeconds}s",
        < 7200 => $"{(int)age.TotalMinutes}m",
        < 172800 => $"{(int)age.TotalHours}h",
        _ => $"{(int)age.TotalDays}d",
    };
}
