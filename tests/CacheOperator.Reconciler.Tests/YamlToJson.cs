using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CacheOperator.Reconciler.Tests;

/// <summary>Reads a one-document YAML manifest as JSON, typing plain scalars the way YAML 1.2's core schema does.</summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Node(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Node)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(value);
        if (value is "" or "~" or "null")
            return null;
        if (value is "true" or "false")
            return JsonValue.Create(value == "true");
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
            return JsonValue.Create(whole);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && value.Any(char.IsAsciiDigit))
            return JsonValue.Create(real);
        return JsonValue.Create(value);
    }
}
