using System.Text.Json.Serialization;

namespace CacheOperator.Ring.Json;

/// <summary>
/// Source-generated (de)serializer of the ring document: no reflection, trimming-safe. Strict on input: unknown
/// and duplicate properties are errors, so a typo cannot silently fall back to a default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(RingDocumentDto))]
internal sealed partial class RingJsonContext : JsonSerializerContext
{
}
