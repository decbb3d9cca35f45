using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// What is served: the built-ins plus the versions of every CustomResourceDefinition. Readers see an
/// immutable snapshot, so discovery never takes the store's lock.
/// </summary>
internal sealed class ResourceRegistry
{
    private volatile Snapshot _current = new([.. BuiltInResources.All], new Dictionary<string, string>());

    public IReadOnlyList<ResourceType> All => _current.Types;

    public ResourceType? Find(string group, string version, string plural) =>
        _current.Types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public ResourceType? FindKind(string group, string version, string kind) =>
        _current.Types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);

    public ResourceType Get(string group, string plural) =>
        _current.Types.First(t => t.Group == group && t.Plural == plural);

    /// <summary>The groups in discovery order (core first), each with its versions, preferred first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var snapshot = _current;
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in snapshot.Types.Select(t => t.Group).Distinct())
        {
            var versions = snapshot.Types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
            if (snapshot.PreferredVersions.TryGetValue(group, out var preferred) && versions.Remove(preferred))
            {
                versions.Insert(0, preferred);
            }

            result.Add((group, versions));
        }

        return result;
    }

    /// <summary>Serves (or re-serves) the versions of a CRD; called with the store's lock held.</summary>
    public void Register(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject();
        if (spec is null)
        {
            return;
        }

        var group = Json.Str(spec, "group") ?? "";
        var names = spec["names"]?.AsObject() ?? [];
        var kind = Json.Str(names, "kind") ?? "";
        var plural = Json.Str(names, "plural") ?? "";
        var singular = Json.Str(names, "singular") ?? kind.ToLowerInvariant();
        var shortNames = (names["shortNames"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()).ToList();
        var categories = (names["categories"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()).ToList();
        var namespaced = Json.Str(spec, "scope") != "Cluster";
        var added = new List<ResourceType>();
        string? preferred = null;
        foreach (var versionNode in spec["versions"]?.AsArray() ?? [])
        {
            var version = versionNode!.AsObject();
            if (Json.IsFalse(version["served"]))
            {
                continue;
            }

            var versionName = Json.Str(version, "name") ?? "";
            preferred ??= versionName;
            var subresources = version["subresources"]?.AsObject();
            var scale = subresources?["scale"]?.AsObject();
            added.Add(new ResourceType
            {
                Group = group,
                Version = versionName,
                Kind = kind,
                Plural = plural,
                Singular = singular,
                Namespaced = namespaced,
                ShortNames = shortNames,
                Categories = categories,
                HasStatus = subresources?["status"] is not null,
                Scale = scale is null
                    ? null
                    : new ScaleSubresource(
                        Json.Str(scale, "specReplicasPath") ?? ".spec.replicas",
                        Json.Str(scale, "statusReplicasPath") ?? ".status.replicas",
                        Json.Str(scale, "labelSelectorPath")),
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject(),
                IsCustom = true,
                PrinterColumns = version["additionalPrinterColumns"]?.DeepClone().AsArray(),
            });
        }

        var current = _current;
        var types = current.Types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
        types.AddRange(added);
        var preferredVersions = new Dictionary<string, string>(current.PreferredVersions);
        if (preferred is not null)
        {
            preferredVersions[group] = preferred;
        }

        _current = new Snapshot(types, preferredVersions);
    }

    public void Unregister(JsonObject crd)
    {
        var group = Json.Str(crd, "spec", "group");
        var plural = Json.Str(crd, "spec", "names", "plural");
        var current = _current;
        var types = current.Types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
        _current = new Snapshot(types, current.PreferredVersions);
    }

    private sealed record Snapshot(List<ResourceType> Types, Dictionary<string, string> PreferredVersions);
}
