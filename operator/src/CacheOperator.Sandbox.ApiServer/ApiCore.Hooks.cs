using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

internal sealed partial class ApiCore
{
    /// <summary>What built-in kinds get on create from a real server: phases, a cluster IP, CRD status.</summary>
    private void OnCreate(ResourceType type, JsonObject obj)
    {
        switch (type.StoreKey)
        {
            case "/namespaces":
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "/pods":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "/secrets":
                obj["type"] ??= "Opaque";
                FoldStringData(obj);
                break;
            case "/services":
                if (obj["spec"] is not JsonObject spec)
                {
                    spec = [];
                    obj["spec"] = spec;
                }

                spec["type"] ??= "ClusterIP";
                if (Json.Str(spec, "clusterIP") is null or "" && Json.Str(spec, "type") != "ExternalName")
                {
                    var ip = $"10.96.{_nextClusterIp / 250}.{(_nextClusterIp % 250) + 1}";
                    _nextClusterIp++;
                    spec["clusterIP"] = ip;
                }

                if (Json.Str(spec, "clusterIP") is { } clusterIp && spec["clusterIPs"] is null)
                {
                    spec["clusterIPs"] = new JsonArray(clusterIp);
                }

                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case "apps/deployments":
            case "apps/statefulsets":
            case "apps/replicasets":
                if (obj["spec"] is JsonObject workload && workload["replicas"] is null)
                {
                    workload["replicas"] = 1;
                }

                break;
            case "apiextensions.k8s.io/customresourcedefinitions":
                ValidateCrd(type, obj);
                obj["status"] = CrdStatus(obj);
                break;
        }
    }

    private static void OnUpdate(ResourceType type, JsonObject current, JsonObject next)
    {
        if (type.StoreKey == "/secrets")
        {
            FoldStringData(next);
        }

        if (type.StoreKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            ValidateCrd(type, next);
            var status = CrdStatus(next);
            if (current["status"]?["conditions"] is { } conditions)
            {
                status["conditions"] = conditions.DeepClone();
            }

            next["status"] = status;
        }
        else if (type.StoreKey == "/services" && next["spec"] is JsonObject spec && current["spec"] is JsonObject currentSpec)
        {
            // clusterIP is immutable and allocated by the server: a client that leaves it out keeps it.
            if (Json.Str(spec, "clusterIP") is null or "")
            {
                spec["clusterIP"] = currentSpec["clusterIP"]?.DeepClone();
                spec["clusterIPs"] = currentSpec["clusterIPs"]?.DeepClone();
            }
        }
    }

    /// <summary>A Secret's stringData is write-only: the server folds it into data, base64-encoded.</summary>
    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = [];
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        secret.Remove("stringData");
    }

    private void AfterWrite(ResourceType type, JsonObject obj)
    {
        if (type.StoreKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            Registry.Register(obj);
        }
    }

    /// <summary>Removing a CRD removes its objects; removing a namespace removes everything in it.</summary>
    private void AfterRemove(ResourceType type, JsonObject last)
    {
        if (type.StoreKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            var group = Json.Str(last, "spec", "group");
            var plural = Json.Str(last, "spec", "names", "plural");
            foreach (var (_, obj) in Store.Scan($"{group}/{plural}", null).ToList())
            {
                Store.Remove($"{group}/{plural}", obj);
            }

            Registry.Unregister(last);
        }
        else if (type.StoreKey == "/namespaces")
        {
            var ns = Json.Str(last, "metadata", "name")!;
            foreach (var (storeKey, obj) in Store.ScanAll().ToList())
            {
                if (Json.Str(obj, "metadata", "namespace") == ns)
                {
                    Store.Remove(storeKey, obj);
                }
            }
        }

        ObjectRemoved?.Invoke();
    }

    private static void ValidateCrd(ResourceType type, JsonObject crd)
    {
        var name = Json.Str(crd, "metadata", "name") ?? "";
        var group = Json.Str(crd, "spec", "group");
        var plural = Json.Str(crd, "spec", "names", "plural");
        var kind = Json.Str(crd, "spec", "names", "kind");
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(new FieldError("spec.group", "FieldValueRequired", "Required value"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(new FieldError("spec.names.plural", "FieldValueRequired", "Required value"));
        }

        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(new FieldError("spec.names.kind", "FieldValueRequired", "Required value"));
        }

        if (errors.Count == 0 && name != $"{plural}.{group}")
        {
            errors.Add(new FieldError("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => Json.IsTrue(v?["storage"])) != 1)
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: []apiextensions.CustomResourceDefinitionVersion: must have exactly one version marked as storage version"));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }
    }

    private static JsonObject CrdStatus(JsonObject crd)
    {
        var now = Json.Now();
        var storage = (crd["spec"]?["versions"] as JsonArray ?? [])
            .Where(v => Json.IsTrue(v?["storage"]))
            .Select(v => JsonValue.Create(Json.Str(v, "name")));
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts",
                    ["message"] = "no conflicts found", ["lastTransitionTime"] = now,
                },
                new JsonObject
                {
                    ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted",
                    ["message"] = "the initial names have been accepted", ["lastTransitionTime"] = now,
                }),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray([.. storage]),
        };
    }
}
