namespace CacheOperator.Api.Schema;

/// <summary>
/// A column of <c>kubectl get</c> (<c>additionalPrinterColumns</c>). <paramref name="order"/> fixes the column
/// order, since reflection does not promise the order attributes were written in.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;
    public string Name { get; } = name;
    /// <summary>integer, number, string, boolean or date.</summary>
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }
    /// <summary>0 shows in the default view; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
