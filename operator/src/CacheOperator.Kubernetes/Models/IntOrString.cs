using System.Globalization;
using System.Text.Json.Serialization;
using CacheOperator.Kubernetes.Serialization;

namespace CacheOperator.Kubernetes.Models;

/// <summary>
/// A field the API types as int-or-string: a port number or a port name, a count or a percentage ("25%").
/// On the wire a JSON number or a JSON string. The default value is the number 0.
/// </summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private IntOrString(int intValue, string? stringValue)
    {
        IntValue = intValue;
        StringValue = stringValue;
    }

    /// <summary>The number; 0 when <see cref="IsString"/>.</summary>
    public int IntValue { get; }

    /// <summary>The string, or null when this is a number.</summary>
    public string? StringValue { get; }

    public bool IsString => StringValue is not null;

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(0, value);
    }

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => StringValue ?? IntValue.ToString(CultureInfo.InvariantCulture);
}
