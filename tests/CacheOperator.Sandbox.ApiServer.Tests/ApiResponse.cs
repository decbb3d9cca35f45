using System.Net;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>A response's status, parsed JSON body and headers.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, IReadOnlyList<string> Warnings, string Text)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"not an object: {Text}");

    public string? Str(params string[] path)
    {
        JsonNode? node = Body;
        foreach (var segment in path)
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
    }

    public override string ToString() => $"{(int)Status} {Text}";
}
