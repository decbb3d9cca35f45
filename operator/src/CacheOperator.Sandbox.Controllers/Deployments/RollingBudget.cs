using System.Globalization;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Sandbox.Controllers.Deployments;

/// <summary>
/// maxSurge and maxUnavailable as pod counts: a percentage of the replicas, surge rounded up and unavailability
/// rounded down (so neither ever exceeds what was asked); both zero would stall a rollout, so unavailability
/// becomes one then. Defaults are 25% each, as in apps/v1.
/// </summary>
public static class RollingBudget
{
    public static (int MaxSurge, int MaxUnavailable) Resolve(IntOrString? maxSurge, IntOrString? maxUnavailable, int replicas)
    {
        int surge = Scale(maxSurge ?? "25%", replicas, roundUp: true);
        int unavailable = Scale(maxUnavailable ?? "25%", replicas, roundUp: false);
        if (surge == 0 && unavailable == 0)
            unavailable = 1;
        return (surge, unavailable);
    }

    public static int Scale(IntOrString value, int replicas, bool roundUp)
    {
        if (!value.IsString)
            return Math.Max(0, value.IntValue);
        string text = value.StringValue!.Trim();
        if (!text.EndsWith('%') || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int percent))
            throw new FormatException($"'{text}' is neither a number nor a percentage");
        long scaled = (long)percent * Math.Max(0, replicas);
        return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
    }
}
