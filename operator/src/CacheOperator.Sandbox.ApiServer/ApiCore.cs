using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// The API semantics over the store: reads, create, update, patch, delete, /status and /scale. HTTP, the
/// garbage collector and tests all go through here; every operation takes the store's lock for its whole
/// read-modify-write.
/// </summary>
internal sealed partial class ApiCore(ObjectStore store, ResourceRegistry registry)
{
    private const string CelWarning = "299 - \"x-kubernetes-validations (CEL) rules are not enforced by the sandbox\"";

    private int _nextClusterIp = 10;

    public ObjectStore Store { get; } = store;

    public ResourceRegistry Registry { get; } = registry;

    /// <summary>Raised (outside no lock guarantees) after an object is removed, so the collector looks soon.</summary>
    public event Action? ObjectRemoved;

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (Store.Gate)
        {
            var obj = Store.Peek(type.StoreKey, Scope(type, ns), name) ?? throw ApiException.NotFound(type, name);
            return Shown(type, obj);
        }
    }

    public JsonObject List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        lock (Store.Gate)
        {
            var after = continueToken is null ? null : DecodeContinue(continueToken);
            var items = new JsonArray();
            string? lastKey = null;
            var more = false;
            foreach (var (key, obj) in Store.Scan(type.StoreKey, ns))
            {
                if (after is not null && string.CompareOrdinal(key, after) <= 0)
                {
                    continue;
                }

                if (!labels.Matches(Json.Labels(obj)) || !fields.Matches(obj))
                {
                    continue;
                }

                if (limit is > 0 && items.Count >= limit)
                {
                    more = true;
                    break;
                }

                items.Add(Shown(type, obj));
                lastKey = key;
            }

            var metadata = new JsonObject { ["resourceVersion"] = Store.ResourceVersionString };
            if (more && lastKey is not null)
            {
                metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));
            }

            return new JsonObject
            {
                ["kind"] = type.ListKind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = items,
            };
        }
    }

    public WriteResult Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        lock (Store.Gate)
        {
            return CreateLocked(type, ns, body, options, null);
        }
    }

    private WriteResult CreateLocked(ResourceType type, string? ns, JsonObject body, WriteOptions options, JsonObject? managedFieldsEntry)
    {
        ns = Scope(type, ns);
        var obj = Json.Clone(body);
        CheckKind(type, obj);
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        var metadata = Json.Metadata(obj);
        var bodyNamespace = Json.Str(metadata, "namespace");
        if (type.Namespaced)
        {
            if (bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
            RequireNamespace(ns!);
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = Json.Str(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = Json.Str(metadata, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type, "", [new FieldError("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
            }

            do
            {
                name = prefix + RandomSuffix();
            }
            while (Store.Peek(type.StoreKey, ns, name) is not null);
            metadata["name"] = name;
        }

        if (Store.Peek(type.StoreKey, ns, name) is not null)
        {
            throw ApiException.AlreadyExists(type, name);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Json.Now();
        metadata["generation"] = 1;
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("resourceVersion");
        metadata.Remove("selfLink");
        if (managedFieldsEntry is not null)
        {
            metadata["managedFields"] = new JsonArray(managedFieldsEntry);
        }

        if (type.HasStatus && !type.KeepsStatusOnCreate)
        {
            obj.Remove("status");
        }

        var warnings = new List<string>();
        OnCreate(type, obj);
        if (ObjectValidation.ForCreate(type, obj) is { Count: > 0 } invalid)
        {
            throw ApiException.Invalid(type, name, invalid);
        }

        ApplySchema(type, obj, name, options, warnings);
        if (!options.DryRun)
        {
            Store.Put(type.StoreKey, obj, null);
            AfterWrite(type, obj);
        }

        return new WriteResult(Shown(type, obj), 201, warnings);
    }

    /// <summary>The stored object as the requested version shows it (a fresh copy the caller may change).</summary>
    private static JsonObject Shown(ResourceType type, JsonObject obj)
    {
        var copy = Json.Clone(obj);
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private static string? Scope(ResourceType type, string? ns) => type.Namespaced ? ns : null;

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = Json.Str(obj, "kind");
        if (kind is not null && kind.Length > 0 && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the body kind {kind} does not match the resource {type.Plural} (kind {type.Kind})");
        }
    }

    private void RequireNamespace(string ns)
    {
        if (Store.Peek(Registry.Get("", "namespaces").StoreKey, null, ns) is null)
        {
            throw ApiException.NamespaceNotFound(ns);
        }
    }

    /// <summary>Custom resources: prune, default, validate; a CEL rule in the schema earns a Warning header.</summary>
    private static void ApplySchema(ResourceType type, JsonObject obj, string name, WriteOptions options, List<string> warnings)
    {
        if (!type.IsCustom || type.Schema is null)
        {
            return;
        }

        var (pruned, errors, hasCel) = SchemaProcessor.Process(obj, type.Schema);
        if (pruned.Count > 0 && options.FieldValidation == "Strict")
        {
            throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
        }

        if (pruned.Count > 0 && options.FieldValidation == "Warn")
        {
            warnings.AddRange(pruned.Select(p => $"299 - \"unknown field \\\"{p}\\\"\""));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        if (hasCel)
        {
            warnings.Add(CelWarning);
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    private static string DecodeContinue(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("invalid continue token");
        }
    }

    private static long ParseResourceVersion(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : -1;
}
