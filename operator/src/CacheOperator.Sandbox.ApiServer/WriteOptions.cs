namespace CacheOperator.Sandbox.ApiServer;

/// <summary>Query parameters every write understands.</summary>
internal sealed record WriteOptions(string? FieldManager, bool DryRun, string? FieldValidation, bool Force)
{
    public static WriteOptions Default { get; } = new(null, false, null, false);
}
