using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>The Status bodies an API server answers with.</summary>
public static class FakeErrors
{
    public static Status Status(int code, string? reason = null, string? message = null) => new()
    {
        Outcome = "Failure",
        Code = code,
        Reason = reason ?? DefaultReason(code),
        Message = message ?? $"injected {code}",
    };

    public static KubernetesApiException Exception(int code, string? reason, string message)
        => new(Status(code, reason, message));

    internal static KubernetesApiException NotFound(ResourceInfo info, string? name)
        => Exception(404, "NotFound", $"{info.QualifiedName} \"{name}\" not found");

    internal static KubernetesApiException Conflict(ResourceInfo info, string? name)
        => Exception(409, "Conflict", $"Operation cannot be fulfilled on {info.QualifiedName} \"{name}\": "
            + "the object has been modified; please apply your changes to the latest version and try again");

    internal static KubernetesApiException Invalid(ResourceInfo info, string? name, string why)
        => Exception(422, "Invalid", $"{info.Kind} \"{name}\" is invalid: {why}");

    internal static KubernetesApiException BadRequest(string why) => Exception(400, "BadRequest", why);

    private static string DefaultReason(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
