using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CacheOperator.Api.Tests;

/// <summary>
/// Reads YAML into a JSON tree the way kubectl does before sending it: plain scalars resolve to null, booleans
/// and numbers (YAML 1.2 core schema); quoted scalars stay strings.
/// </summary>
internal static partial class YamlJson
{
    public static IReadOnlyList<JsonNode?> ReadDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    public static JsonNode? Read(string yaml) => ReadDocuments(yaml).Single();

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                    obj[((YamlScalarNode)key).Value!] = Convert(value);
                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(Convert)]);
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new NotSupportedException($"YAML node {node.NodeType}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(text))
            return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        if (FloatPattern().IsMatch(text))
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
