using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>One committed change, kept for watches that resume; objects are never mutated once stored.</summary>
internal sealed record StoredEvent(long ResourceVersion, string StoreKey, string Type, JsonObject Object, JsonObject? Previous);
