using System.Buffers;
using System.Text.Json;
using CacheOperator.Ring.Json;

namespace CacheOperator.Ring;

/// <summary>Reads and writes the ring document (the ring ConfigMap's content); the format is in docs/ring.md.</summary>
public static class RingDocument
{
    /// <summary>Largest document accepted; a ConfigMap cannot hold more than 1 MiB anyway.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>Parses and validates a document; throws <see cref="RingFormatException"/> and nothing else.</summary>
    public static CacheRing Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxDocumentBytes)
            throw new RingFormatException("$", $"document is {utf8Json.Length} bytes, more than {MaxDocumentBytes}");

        RingDocumentDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, RingJsonContext.Default.RingDocumentDto);
        }
        catch (JsonException ex)
        {
            throw JsonErrors.Translate(ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            throw new RingFormatException("$", ex.Message, ex);
        }

        if (dto is null)
            throw new RingFormatException("$", "expected an object");

        try
        {
            return new RingDocumentReader().Read(dto);
        }
        catch (RingFormatException)
        {
            throw;
        }
        catch (ArgumentException ex)
        {
            // The reader checks everything the model checks, so this is a bug; still, callers get the one error type.
            throw new RingFormatException("$", ex.Message, ex);
        }
    }

    /// <summary>Parses a document held in a string.</summary>
    public static CacheRing Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses a document without throwing; <paramref name="error"/> is set when it is invalid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out CacheRing? ring, out RingFormatException? error)
    {
        try
        {
            ring = Parse(utf8Json);
            error = null;
            return true;
        }
        catch (RingFormatException ex)
        {
            ring = null;
            error = ex;
            return false;
        }
    }

    /// <summary>
    /// Writes a ring as a UTF-8 document that <see cref="Parse(ReadOnlySpan{byte})"/> reads back equal. Compact by
    /// default: a large, fragmented table has thousands of runs, and a ConfigMap holds at most 1 MiB.
    /// </summary>
    public static byte[] Write(CacheRing ring, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, IndentSize = 2 }))
            JsonSerializer.Serialize(writer, RingDocumentWriter.ToDto(ring), RingJsonContext.Default.RingDocumentDto);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a ring as a JSON string.</summary>
    public static string WriteString(CacheRing ring, bool indented = false) => System.Text.Encoding.UTF8.GetString(Write(ring, indented));
}
