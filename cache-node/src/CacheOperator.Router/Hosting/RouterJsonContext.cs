using System.Text.Json.Serialization;

namespace CacheOperator.Router.Hosting;

/// <summary>Source-generated JSON for the admin replies (trimming-safe, no reflection).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class RouterJsonContext : JsonSerializerContext;
