using System.Globalization;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Every object and the resourceVersion counter in one JSON file, so a sandbox survives a restart.</summary>
internal static class Snapshot
{
    public static void Save(ApiCore core, string path)
    {
        var items = new JsonArray();
        string resourceVersion;
        lock (core.Store.Gate)
        {
            foreach (var (storeKey, obj) in core.Store.ScanAll())
            {
                items.Add(new JsonObject { ["storeKey"] = storeKey, ["object"] = obj.DeepClone() });
            }

            resourceVersion = core.Store.ResourceVersionString;
        }

        var document = new JsonObject { ["resourceVersion"] = resourceVersion, ["items"] = items };
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString());
        File.Move(temporary, path, overwrite: true);
    }

    public static void Load(ApiCore core, string path)
    {
        var document = Json.ParseObject(File.ReadAllText(path));
        var resourceVersion = long.Parse(Json.Str(document, "resourceVersion") ?? "0", CultureInfo.InvariantCulture);
        var items = (document["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        lock (core.Store.Gate)
        {
            // CRDs first, so their kinds are served before their objects are loaded.
            foreach (var item in items.OrderBy(i => Json.Str(i, "storeKey") == "apiextensions.k8s.io/customresourcedefinitions" ? 0 : 1))
            {
                if (item["object"] is not JsonObject obj || Json.Str(item, "storeKey") is not { } storeKey)
                {
                    continue;
                }

                var copy = Json.Clone(obj);
                core.Store.Restore(storeKey, copy, resourceVersion);
                if (storeKey == "apiextensions.k8s.io/customresourcedefinitions")
                {
                    core.Registry.Register(copy);
                }
            }
        }
    }
}
