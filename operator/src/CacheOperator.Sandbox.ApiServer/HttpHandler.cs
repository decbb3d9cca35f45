using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Maps HTTP requests onto discovery, OpenAPI and <see cref="ApiCore"/>; failures become Status objects.</summary>
internal sealed partial class HttpHandler(ApiCore core, SandboxApiServerOptions options, CancellationToken stopping)
{
    private ResourceRegistry Registry => core.Registry;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context);
        }
        catch (ApiException e)
        {
            await WriteStatusAsync(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            await WriteStatusAsync(context, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        switch (segments)
        {
            case []:
                await WriteJsonAsync(context, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/apis", "/healthz", "/openapi/v3", "/version") });
                return;
            case ["version"]:
                await WriteJsonAsync(context, 200, Discovery.Version());
                return;
            case ["healthz" or "livez" or "readyz", ..]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return;
            case ["api"]:
                await WriteDiscoveryAsync(context, core: true);
                return;
            case ["apis"]:
                await WriteDiscoveryAsync(context, core: false);
                return;
            case ["api", var v] when method == "GET":
                RequireVersion("", v);
                await WriteJsonAsync(context, 200, Discovery.ResourceList(Registry, "", v));
                return;
            case ["apis", var g] when method == "GET":
                var group = Registry.Groups().FirstOrDefault(x => x.Group == g);
                if (group.Versions is null)
                {
                    throw NotFoundPath();
                }

                await WriteJsonAsync(context, 200, Discovery.Group(g, group.Versions));
                return;
            case ["apis", var g, var v] when method == "GET":
                RequireVersion(g, v);
                await WriteJsonAsync(context, 200, Discovery.ResourceList(Registry, g, v));
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApiStub.Root(Registry));
                return;
            case ["openapi", "v3", "api", var v]:
                RequireVersion("", v);
                await WriteJsonAsync(context, 200, OpenApiStub.GroupVersion(Registry, "", v));
                return;
            case ["openapi", "v3", "apis", var g, var v]:
                RequireVersion(g, v);
                await WriteJsonAsync(context, 200, OpenApiStub.GroupVersion(Registry, g, v));
                return;
            case ["api", var v, .. var rest]:
                await HandleResourceAsync(context, ResourceRequest.Parse(Registry, "", v, rest) ?? throw NotFoundPath());
                return;
            case ["apis", var g, var v, .. var rest]:
                await HandleResourceAsync(context, ResourceRequest.Parse(Registry, g, v, rest) ?? throw NotFoundPath());
                return;
            default:
                throw NotFoundPath();
        }
    }

    private void RequireVersion(string group, string version)
    {
        if (!Registry.All.Any(t => t.Group == group && t.Version == version))
        {
            throw NotFoundPath();
        }
    }

    private static ApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource");

    private async Task WriteDiscoveryAsync(HttpContext context, bool core)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2;", StringComparison.Ordinal)
            || accept.EndsWith("v=v2;as=APIGroupDiscoveryList", StringComparison.Ordinal))
        {
            context.Response.Headers.Vary = "Accept";
            await WriteJsonAsync(context, 200, Discovery.Aggregated(Registry, core), Discovery.AggregatedContentType);
            return;
        }

        await WriteJsonAsync(context, 200, core ? Discovery.ApiVersions() : Discovery.GroupList(Registry));
    }

    private static async Task WriteStatusAsync(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = e.Message,
            ["reason"] = e.Reason,
            ["code"] = e.Code,
        };
        if (e.Details is not null)
        {
            status["details"] = e.Details;
        }

        await WriteJsonAsync(context, e.Code, status);
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static int? QueryInt(HttpContext context, string name) =>
        int.TryParse(Query(context, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static WriteOptions WriteOptionsOf(HttpContext context) =>
        new(Query(context, "fieldManager"), Query(context, "dryRun") == "All", Query(context, "fieldValidation"), Query(context, "force") == "true");

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        if (contentType.Contains("protobuf", StringComparison.OrdinalIgnoreCase))
        {
            // Typed clients (Helm's release storage, `kubectl create namespace`) send protobuf.
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return ProtobufDecoder.Decode(buffer.ToArray());
        }

        if (contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the sandbox API server accepts JSON, YAML or protobuf request bodies (got {contentType})");
        }

        var text = await ReadBodyAsync(context);
        return contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) ? YamlJson.ParseObject(text) : Json.ParseObject(text);
    }
}
