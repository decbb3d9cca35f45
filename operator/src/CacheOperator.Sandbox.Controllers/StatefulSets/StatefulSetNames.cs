using System.Globalization;

namespace CacheOperator.Sandbox.Controllers.StatefulSets;

/// <summary>A StatefulSet's pods are <c>&lt;set&gt;-&lt;ordinal&gt;</c>; the ordinal is a pod's identity.</summary>
public static class StatefulSetNames
{
    public static string PodName(string setName, int ordinal) =>
        setName + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The ordinal of a pod named for this set; false for any other name, including one with a sign, leading
    /// zeros or a suffix (<c>web-01</c> and <c>web-1-x</c> are not pod 1 of <c>web</c>).
    /// </summary>
    public static bool TryParseOrdinal(string setName, string podName, out int ordinal)
    {
        ordinal = -1;
        if (podName.Length <= setName.Length + 1
            || !podName.StartsWith(setName, StringComparison.Ordinal)
            || podName[setName.Length] != '-')
            return false;
        ReadOnlySpan<char> digits = podName.AsSpan(setName.Length + 1);
        if ((digits.Length > 1 && digits[0] == '0') || digits.ContainsAnyExceptInRange('0', '9'))
            return false;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal);
    }

    /// <summary>The revision name of a template hash, as status.updateRevision and the pod label carry it.</summary>
    public static string RevisionName(string setName, string templateHash) => setName + "-" + templateHash;
}
