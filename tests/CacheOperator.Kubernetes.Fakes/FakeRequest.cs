using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes.Fakes;

/// <summary>One call made to <see cref="InMemoryKubernetesClient"/>, as the request log records it.</summary>
public sealed class FakeRequest
{
    public required FakeVerb Verb { get; init; }
    /// <summary>The resource's plural, e.g. "pods", "cacheclusters".</summary>
    public required string Resource { get; init; }
    public required string Kind { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Subresource { get; init; }
    public DateTimeOffset Time { get; init; }

    /// <summary>True when the call changed the store (a new resourceVersion); a no-op update leaves it false.</summary>
    public bool Changed { get; internal set; }

    /// <summary>The error the call answered with, if any.</summary>
    public Status? Error { get; internal set; }

    public bool IsWrite => Verb is not (FakeVerb.Get or FakeVerb.List or FakeVerb.Watch);

    public override string ToString()
        => $"{Verb} {Resource}{(Subresource is null ? "" : "/" + Subresource)} {Namespace}/{Name}"
            + (Changed ? " (changed)" : "") + (Error is null ? "" : $" -> {Error.Code} {Error.Reason}");
}
