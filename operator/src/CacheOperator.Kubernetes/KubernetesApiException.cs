using System.Net;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

/// <summary>An error answered by the API server, carrying its Status (reason, code, message).</summary>
public sealed class KubernetesApiException(Status status, Exception? inner = null)
    : Exception($"{status.Reason ?? "Error"} ({status.Code}): {status.Message}", inner)
{
    public Status Status { get; } = status;
    public HttpStatusCode StatusCode => (HttpStatusCode)Status.Code;
    public string? Reason => Status.Reason;

    public bool IsNotFound => Status.Code == 404;
    public bool IsConflict => Status.Code == 409 && Status.Reason != "AlreadyExists";
    public bool IsAlreadyExists => Status.Reason == "AlreadyExists";
    /// <summary>410: the resourceVersion a watch asked for is gone; re-list.</summary>
    public bool IsExpired => Status.Code == 410 || Status.Reason is "Expired" or "Gone";
    public bool IsInvalid => Status.Code == 422;
}
