namespace CacheOperator.Sandbox.ApiServer;

/// <summary>One cause of a 422: the field path, the StatusCause reason, and the detail after the path.</summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public string Message => $"{Field}: {Detail}";

    public override string ToString() => Message;
}
