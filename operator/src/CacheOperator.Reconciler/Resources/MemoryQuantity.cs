using System.Globalization;
using CacheOperator.Api;

namespace CacheOperator.Reconciler.Resources;

/// <summary>
/// Writes memory in the form the API server keeps (binary suffix, the largest that divides exactly), so a value
/// we write comes back byte-identical and a converged reconcile sees no difference; and compares quantities by
/// amount, since the server may respell one ("0.1" becomes "100m").
/// </summary>
public static class MemoryQuantity
{
    /// <summary>1 MiB in bytes.</summary>
    public const long Mebibyte = 1024 * 1024;

    private static readonly (string Suffix, long Factor)[] BinaryLargestFirst =
    [
        ("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10),
    ];

    /// <summary>Bytes of a size such as "256Mi", rounded up to a whole byte as Kubernetes does.</summary>
    public static long ParseBytes(string text) => Quantity.ParseBytes(text);

    /// <summary>Bytes written with the largest binary suffix that divides exactly ("1344Mi", "1Gi", "1000").</summary>
    public static string FormatBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0)
            return "0";
        foreach (var (suffix, factor) in BinaryLargestFirst)
        {
            if (bytes % factor == 0)
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether two quantity strings mean the same amount ("0.1" and "100m", "1024Mi" and "1Gi").</summary>
    public static bool AreEquivalent(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal)
        || (Quantity.TryParse(a, out decimal x) && Quantity.TryParse(b, out decimal y) && x == y);
}
