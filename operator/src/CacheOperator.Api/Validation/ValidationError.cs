namespace CacheOperator.Api.Validation;

/// <summary>One reason a spec is refused: where (<c>spec.pools[1].memory</c>) and why, in the CRD's words.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
