using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CacheOperator.Kubernetes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Reconciler.Resources;

namespace CacheOperator.Reconciler.Reconcile;

/// <summary>
/// Decides whether an object needs applying, so a converged reconcile makes no writes. Two checks: the existing
/// object already holds every field we set (server defaults and other managers' fields are ignored; quantities
/// compare by amount), and it carries the hash of exactly what we last applied — which catches a field we
/// stopped setting, something the first check cannot see.
/// </summary>
public static class ObjectComparer
{
    public const string DesiredHashAnnotation = "cacheoperator.io/desired-hash";

    /// <summary>Stamps the object with the hash of its own content (without the stamp).</summary>
    public static void StampHash(KubernetesObject desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Metadata.Annotations is { } annotations && annotations.Remove(DesiredHashAnnotation) && annotations.Count == 0)
            desired.Metadata.Annotations = null;
        string json = KubernetesJson.Serialize((object)desired);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..20];
        desired.Metadata.Annotations ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
        desired.Metadata.Annotations[DesiredHashAnnotation] = hash;
    }

    /// <summary>Whether <paramref name="existing"/> already has every field of <paramref name="desired"/>.</summary>
    public static bool Covers(KubernetesObject? existing, KubernetesObject desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (existing is null)
            return false;
        var have = JsonNode.Parse(KubernetesJson.Serialize((object)existing));
        var want = JsonNode.Parse(KubernetesJson.Serialize((object)desired));
        return Covers(have, want);
    }

    /// <summary>Whether <paramref name="have"/> holds every field of <paramref name="want"/> (the JSON form).</summary>
    public static bool Covers(JsonNode? have, JsonNode? want)
    {
        switch (want)
        {
            case null:
                return true;
            case JsonObject wantObject:
                if (wantObject.Count == 0)
                    return have is null or JsonObject;
                if (have is not JsonObject haveObject)
                    return false;
                foreach (var (key, value) in wantObject)
                {
                    if (value is null)
                        continue;
                    if (!Covers(haveObject.TryGetPropertyValue(key, out var haveValue) ? haveValue : null, value))
                        return false;
                }

                return true;
            case JsonArray wantArray:
                if (wantArray.Count == 0)
                    return have is null || (have is JsonArray { Count: 0 });
                if (have is not JsonArray haveArray || haveArray.Count != wantArray.Count)
                    return false;
                for (int i = 0; i < wantArray.Count; i++)
                {
                    if (!Covers(haveArray[i], wantArray[i]))
                        return false;
                }

                return true;
            default:
                return have is JsonValue haveValueNode && SameValue(haveValueNode, (JsonValue)want);
        }
    }

    private static bool SameValue(JsonValue have, JsonValue want)
    {
        var haveKind = have.GetValueKind();
        var wantKind = want.GetValueKind();
        if (haveKind == JsonValueKind.String && wantKind == JsonValueKind.String)
            return MemoryQuantity.AreEquivalent(have.GetValue<string>(), want.GetValue<string>());
        if (haveKind == JsonValueKind.Number && wantKind == JsonValueKind.Number)
            return decimal.Parse(have.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
                == decimal.Parse(want.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

        // A quantity written as a string may come back as a number and the other way round ("1" vs 1).
        if (haveKind is JsonValueKind.String or JsonValueKind.Number && wantKind is JsonValueKind.String or JsonValueKind.Number)
            return MemoryQuantity.AreEquivalent(have.ToJsonString().Trim('"'), want.ToJsonString().Trim('"'));
        return haveKind == wantKind && JsonNode.DeepEquals(have, want);
    }
}
