using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class HttpHandler
{
    private async Task HandleResourceAsync(HttpContext context, ResourceRequest request)
    {
        var (type, ns, name, subresource) = request;
        if (!type.Namespaced && ns is not null)
        {
            throw NotFoundPath();
        }

        if (subresource is not null && !(subresource == "status" && type.HasStatus) && !(subresource == "scale" && type.Scale is not null))
        {
            throw NotFoundPath();
        }

        if (type.Namespaced && ns is null && (name is not null || context.Request.Method is "POST"))
        {
            throw NotFoundPath();
        }

        var method = context.Request.Method;
        if (name is null)
        {
            switch (method)
            {
                case "GET" when Query(context, "watch") is "true" or "1":
                    await WatchAsync(context, type, ns);
                    return;
                case "GET":
                    var list = core.List(type, ns, LabelSelector.Parse(Query(context, "labelSelector")),
                        FieldSelector.Parse(Query(context, "fieldSelector")), QueryInt(context, "limit"), NullIfEmpty(Query(context, "continue")));
                    await WriteObjectAsync(context, type, 200, list, asList: true);
                    return;
                case "POST":
                    await WriteResultAsync(context, type, core.Create(type, ns, await ReadObjectAsync(context), WriteOptionsOf(context)));
                    return;
                case "DELETE":
                    var deleted = core.DeleteCollection(type, ns, LabelSelector.Parse(Query(context, "labelSelector")),
                        FieldSelector.Parse(Query(context, "fieldSelector")), await DeleteOptionsOfAsync(context));
                    await WriteJsonAsync(context, 200, deleted);
                    return;
                default:
                    throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
            }
        }

        switch (method)
        {
            case "GET" when subresource == "scale":
                await WriteJsonAsync(context, 200, core.GetScale(type, ns, name));
                return;
            case "GET":
                await WriteObjectAsync(context, type, 200, core.Get(type, ns, name), asList: false);
                return;
            case "PUT" when subresource == "scale":
                await WriteResultAsync(context, type, core.UpdateScale(type, ns, name, await ReadObjectAsync(context), WriteOptionsOf(context)));
                return;
            case "PUT":
                await WriteResultAsync(context, type, core.Update(type, ns, name, await ReadObjectAsync(context), subresource, WriteOptionsOf(context)));
                return;
            case "PATCH":
                var body = await ReadBodyAsync(context);
                await WriteResultAsync(context, type, core.Patch(type, ns, name, subresource, context.Request.ContentType ?? "", body, WriteOptionsOf(context)));
                return;
            case "DELETE" when subresource is null:
                await WriteResultAsync(context, type, core.Delete(type, ns, name, await DeleteOptionsOfAsync(context)));
                return;
            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task<DeleteOptions> DeleteOptionsOfAsync(HttpContext context)
    {
        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await ReadObjectAsync(context);
        }

        return DeleteOptions.From(body, Query(context, "propagationPolicy"), Query(context, "gracePeriodSeconds"), Query(context, "orphanDependents"));
    }

    private async Task WriteResultAsync(HttpContext context, ResourceType type, WriteResult result)
    {
        foreach (var warning in result.Warnings)
        {
            context.Response.Headers.Append("Warning", warning);
        }

        await WriteObjectAsync(context, type, result.StatusCode, result.Object, asList: false);
    }

    private static async Task WriteObjectAsync(HttpContext context, ResourceType type, int code, JsonObject obj, bool asList)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (type.PrinterColumns is { Count: > 0 } && accept.Contains("as=Table", StringComparison.Ordinal)
            && Json.Str(obj, "kind") != "Scale")
        {
            await WriteJsonAsync(context, code, TableConverter.ToTable(type, obj, asList));
            return;
        }

        await WriteJsonAsync(context, code, obj);
    }

    /// <summary>
    /// Streams watch events, one JSON object per line, each flushed at once. Replays from resourceVersion (or
    /// lists as ADDED), then follows live events until timeoutSeconds, the client leaves, or it falls behind.
    /// </summary>
    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var labels = LabelSelector.Parse(Query(context, "labelSelector"));
        var fields = FieldSelector.Parse(Query(context, "fieldSelector"));
        var rvText = Query(context, "resourceVersion");
        long? from = null;
        if (!string.IsNullOrEmpty(rvText) && rvText != "0")
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                ? rv
                : throw ApiException.BadRequest($"invalid resource version: {rvText}");
        }

        var bookmarks = Query(context, "allowWatchBookmarks") == "true";
        Watcher? watcher;
        var store = core.Store;
        lock (store.Gate)
        {
            var asTable = type.PrinterColumns is { Count: > 0 } && context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
            watcher = store.Watch(type, ns, labels, fields, from, asTable ? obj => TableConverter.ToTable(type, obj, isList: false) : null);
            if (watcher is not null && bookmarks)
            {
                watcher.SendBookmark(store.ResourceVersion);
            }
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (watcher is null)
        {
            var expired = new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = $"too old resource version: {from} ({store.ResourceVersionString})",
                    ["reason"] = "Expired",
                    ["code"] = 410,
                },
            };
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(expired.ToJsonString() + "\n"), context.RequestAborted);
            return;
        }

        var timeout = QueryInt(context, "timeoutSeconds") is { } seconds and > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        deadline.CancelAfter(timeout);
        var bookmarkLoop = bookmarks ? SendBookmarksAsync(watcher, deadline.Token) : Task.CompletedTask;
        try
        {
            var reader = watcher.Reader;
            while (await reader.WaitToReadAsync(deadline.Token))
            {
                while (reader.TryRead(out var line))
                {
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), deadline.Token);
                }

                await context.Response.Body.FlushAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // timeoutSeconds reached, the client left or the server is stopping: a normal end of a watch.
        }
        finally
        {
            lock (store.Gate)
            {
                store.StopWatching(watcher);
            }

            await deadline.CancelAsync();
            await bookmarkLoop;
        }
    }

    private async Task SendBookmarksAsync(Watcher watcher, CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.BookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                lock (core.Store.Gate)
                {
                    watcher.SendBookmark(core.Store.ResourceVersion);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }
}
