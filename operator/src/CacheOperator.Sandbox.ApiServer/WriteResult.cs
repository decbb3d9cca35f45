using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>What a write answers: the object (or Scale), the HTTP status and any Warning headers.</summary>
internal sealed record WriteResult(JsonObject Object, int StatusCode, IReadOnlyList<string> Warnings);
