namespace CacheOperator.Ring;

/// <summary>
/// A ring document is invalid. The only exception <see cref="RingDocument.Parse(ReadOnlySpan{byte})"/> throws;
/// <see cref="Exception.Message"/> is <c>"{Path}: {Reason}"</c>.
/// </summary>
public sealed class RingFormatException : Exception
{
    /// <summary>Creates the error for a JSON path and a reason.</summary>
    public RingFormatException(string path, string reason)
        : base($"{path}: {reason}")
    {
        JsonPath = path;
        Reason = reason;
    }

    /// <summary>Creates the error for a JSON path and a reason, keeping the exception that revealed it.</summary>
    public RingFormatException(string path, string reason, Exception innerException)
        : base($"{path}: {reason}", innerException)
    {
        JsonPath = path;
        Reason = reason;
    }

    /// <summary>JSON path of the offending value (<c>$.pools[0].buckets[3]</c>); <c>$</c> for the whole document.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
