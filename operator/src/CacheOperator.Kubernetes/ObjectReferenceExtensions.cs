using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Kubernetes;

/// <summary>Turns an object into the core/v1 ObjectReference that events and endpoints carry.</summary>
public static class ObjectReferenceExtensions
{
    public static ObjectReference ToObjectReference(this KubernetesObject obj, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (apiVersion, kind) = OwnerReferences.TypeMetaOf(obj);
        return new ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Namespace = obj.Metadata.Namespace,
            Name = obj.Metadata.Name,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
            FieldPath = fieldPath,
        };
    }

    public static OwnerReference ToOwnerReference(this KubernetesObject owner, bool controller = true) =>
        OwnerReferences.For(owner, controller);
}
