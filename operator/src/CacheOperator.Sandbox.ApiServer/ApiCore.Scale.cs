using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class ApiCore
{
    public JsonObject GetScale(ResourceType type, string? ns, string name)
    {
        lock (Store.Gate)
        {
            var current = Store.Peek(type.StoreKey, Scope(type, ns), name) ?? throw ApiException.NotFound(type, name);
            return ScaleOf(type, current);
        }
    }

    public WriteResult UpdateScale(ResourceType type, string? ns, string name, JsonObject scale, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var current = Store.Peek(type.StoreKey, Scope(type, ns), name) ?? throw ApiException.NotFound(type, name);
            var version = Json.Str(scale, "metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(version) && version != Json.Str(current, "metadata", "resourceVersion"))
            {
                throw ApiException.Conflict(type, name);
            }

            return SetReplicas(type, current, scale, options);
        }
    }

    /// <summary>An autoscaling/v1 Scale read through the resource's scale paths.</summary>
    private static JsonObject ScaleOf(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale ?? throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({type.Plural}/scale)");
        var metadata = obj["metadata"]!.AsObject();
        var selector = scale.LabelSelectorPath is { } selectorPath
            ? Json.At(obj, selectorPath)?.GetValue<string>() ?? ""
            : LabelSelector.ToSelectorString(obj["spec"]?["selector"] as JsonObject);
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Json.Long(Json.At(obj, scale.SpecReplicasPath)) ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = Json.Long(Json.At(obj, scale.StatusReplicasPath)) ?? 0,
                ["selector"] = selector,
            },
        };
    }

    private WriteResult SetReplicas(ResourceType type, JsonObject current, JsonObject scale, WriteOptions options)
    {
        var replicas = Json.Long(scale["spec"]?["replicas"]);
        if (replicas is null or < 0)
        {
            throw ApiException.Invalid(type, Json.Str(current, "metadata", "name")!,
                [new FieldError("spec.replicas", "FieldValueInvalid", $"Invalid value: {replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}: must be greater than or equal to 0")]);
        }

        var next = Shown(type, current);
        Json.SetAt(next, type.Scale!.SpecReplicasPath, replicas.Value);
        var result = UpdateLocked(type, current, next, null, options);
        return result with { Object = ScaleOf(type, result.Object) };
    }
}
