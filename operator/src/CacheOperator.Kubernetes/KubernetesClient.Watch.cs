using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

public sealed partial class KubernetesClient
{
    /// <summary>
    /// One watch request. The stream ending is a normal end, and so is a connection cut mid-stream (as client-go
    /// treats it): either way the caller re-watches from the last resourceVersion it saw, and an event that was
    /// cut off is re-sent by the server from there. ERROR events throw <see cref="KubernetesApiException"/>.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, ListOptions options,
        [EnumeratorCancellation] CancellationToken ct = default) where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(options);
        var resource = KubernetesResource.Of<T>();
        string path = ResourcePath.For(resource, ns) + ResourcePath.Query(options, watch: true);
        using var response = await SendAsync(HttpMethod.Get, path, body: null, contentType: null, idempotent: true,
            HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);

        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            // The server writes one event per line and flushes each; the stream ending is the normal end of a
            // watch (timeoutSeconds elapsed, or the server shut the watch): the caller re-watches.
            while (await ReadLineOrEndAsync(reader, ct).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                yield return ParseWatchEvent<T>(line, resource);
            }
        }
    }

    /// <summary>The next line; null at the end of the stream or when the connection broke.</summary>
    private static async Task<string?> ReadLineOrEndAsync(StreamReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct).ConfigureAwait(false);
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static WatchEvent<T> ParseWatchEvent<T>(string line, KubernetesResourceAttribute resource) where T : KubernetesObject
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        string type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (!root.TryGetProperty("object", out var obj))
            throw new JsonException($"A watch event without an object: {line}");
        var eventType = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => throw new KubernetesApiException(obj.Deserialize<Status>(KubernetesJson.Options) ?? new Status
            {
                Outcome = "Failure",
                Code = (int)HttpStatusCode.InternalServerError,
                Reason = "InternalError",
                Message = "A watch ERROR event without a Status.",
            }),
            _ => throw new JsonException($"Unknown watch event type '{type}'."),
        };
        var typed = obj.Deserialize<T>(KubernetesJson.Options) ?? throw new JsonException("A watch event with a null object.");
        FillTypeMeta(typed, resource);
        return new WatchEvent<T>(eventType, typed);
    }
}
