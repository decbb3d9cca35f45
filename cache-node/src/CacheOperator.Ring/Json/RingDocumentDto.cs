namespace CacheOperator.Ring.Json;

/// <summary>The ring document as it appears in JSON. Every member is optional here; the validator says what is missing.</summary>
internal sealed class RingDocumentDto
{
    public int? SchemaVersion { get; set; }

    public long? Version { get; set; }

    public string? DefaultPool { get; set; }

    public List<PoolDto>? Pools { get; set; }

    public List<string>? Standbys { get; set; }

    public GutterDto? Gutter { get; set; }

    public RouterDto? Router { get; set; }
}
