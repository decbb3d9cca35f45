using System.Globalization;
using System.Text.RegularExpressions;
using CacheOperator.Api.V1Alpha1;

namespace CacheOperator.Api;

/// <summary>
/// Reads Kubernetes quantity strings ("256Mi", "1G", "500m", "1e3") as numbers, the way the API server's
/// <c>quantity()</c> CEL function and resource fields read them.
/// </summary>
public static partial class Quantity
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a quantity or does not fit a decimal.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null || !QuantityRegex().IsMatch(text))
            return false;

        int suffixStart = text.Length;
        while (suffixStart > 0 && !IsNumberChar(text[suffixStart - 1]))
            suffixStart--;
        var number = text[..suffixStart];
        var suffix = text[suffixStart..];
        decimal multiplier;
        if (suffix.Length == 0 && number.IndexOfAny(['e', 'E']) is var e and > 0)
        {
            // Exponent form: the regex left "e3" in the number because digits follow the e.
            if (!int.TryParse(number[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                || exponent is < -28 or > 28)
                return false;
            multiplier = Pow10(exponent);
            number = number[..e];
        }
        else if (!TryMultiplier(suffix, out multiplier))
        {
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
            return false;
        try
        {
            value = mantissa * multiplier;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Bytes (rounded up to a whole byte) of a size such as "256Mi".</summary>
    /// <exception cref="FormatException">Not a quantity, or negative.</exception>
    public static long ParseBytes(string text)
    {
        if (!TryParse(text, out var value) || value < 0 || value > long.MaxValue)
            throw new FormatException($"'{text}' is not a size (a quantity such as 256Mi)");
        return (long)decimal.Ceiling(value);
    }

    private static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c == '.';

    private static bool TryMultiplier(string suffix, out decimal multiplier)
    {
        const decimal k = 1024m;
        multiplier = suffix switch
        {
            "" => 1m,
            "n" => 0.000000001m,
            "u" => 0.000001m,
            "m" => 0.001m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            "E" => 1e18m,
            "Ki" => k,
            "Mi" => k * k,
            "Gi" => k * k * k,
            "Ti" => k * k * k * k,
            "Pi" => k * k * k * k * k,
            "Ei" => k * k * k * k * k * k,
            _ => 0m,
        };
        return multiplier != 0m;
    }

    private static decimal Pow10(int exponent)
    {
        decimal result = 1m;
        for (int i = 0; i < Math.Abs(exponent); i++)
            result *= 10m;
        return exponent < 0 ? 1m / result : result;
    }

    [GeneratedRegex(QuantityPatterns.Kubernetes, RegexOptions.CultureInvariant)]
    private static partial Regex QuantityRegex();
}
