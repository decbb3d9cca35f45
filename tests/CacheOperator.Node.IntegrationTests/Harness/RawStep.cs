using System.Text;

namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>
/// One write of a raw conversation. The text "{cas}" in the request is replaced by the last CAS value the server
/// sent on this connection, so cases can exercise successful compare-and-swap while the reply's CAS numbers are
/// the server's own.
/// </summary>
/// <param name="Request">Bytes to send (Latin-1: every char is one byte).</param>
/// <param name="AppendSentinel">
/// Follow the request with "mn\r\n" and read until its "MN\r\n" arrives. Off for requests that leave a command
/// incomplete or that close the connection; those are read until the server goes quiet or closes.
/// </param>
/// <param name="ChunkSize">Send in pieces of this many bytes (exercises partial frames); null sends one write.</param>
public sealed record RawStep(string Request, bool AppendSentinel = true, int? ChunkSize = null)
{
    public const string CasPlaceholder = "{cas}";

    public byte[] Encode(string? lastCas) =>
        Encoding.Latin1.GetBytes(Request.Replace(CasPlaceholder, lastCas ?? "0", StringComparison.Ordinal));

    public override string ToString() => Request.Length > 120 ? Request[..120] + $"...({Request.Length} chars)" : Request;
}
