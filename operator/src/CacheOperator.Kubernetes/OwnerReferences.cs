using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>Builds and reads ownerReferences (what garbage collection and "owned by" watches follow).</summary>
public static class OwnerReferences
{
    /// <summary>
    /// A reference to <paramref name="owner"/>, which must have been read from the server (it needs the uid).
    /// <paramref name="controller"/> marks the managing owner; blockOwnerDeletion follows it, so a foreground
    /// delete of the owner waits for its children.
    /// </summary>
    public static OwnerReference For(KubernetesObject owner, bool controller = true)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (string.IsNullOrEmpty(owner.Metadata.Uid))
            throw new ArgumentException("An owner reference needs the owner's uid: use the object as read from the server.", nameof(owner));
        var (apiVersion, kind) = TypeMetaOf(owner);
        return new OwnerReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = owner.Metadata.Name ?? throw new ArgumentException("The owner has no name.", nameof(owner)),
            Uid = owner.Metadata.Uid,
            Controller = controller ? true : null,
            BlockOwnerDeletion = controller ? true : null,
        };
    }

    /// <summary>The controlling owner reference, if any.</summary>
    public static OwnerReference? ControllerOf(KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
    }

    public static bool IsOwnedBy(KubernetesObject obj, KubernetesObject owner)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(owner);
        return obj.Metadata.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid) == true;
    }

    /// <summary>apiVersion and kind from the object, else from its type's [KubernetesResource].</summary>
    internal static (string ApiVersion, string Kind) TypeMetaOf(KubernetesObject obj)
    {
        if (!string.IsNullOrEmpty(obj.ApiVersion) && !string.IsNullOrEmpty(obj.Kind))
            return (obj.ApiVersion, obj.Kind);
        var resource = KubernetesResource.Of(obj.GetType());
        return (string.IsNullOrEmpty(obj.ApiVersion) ? resource.ApiVersion : obj.ApiVersion,
            string.IsNullOrEmpty(obj.Kind) ? resource.Kind : obj.Kind);
    }
}
