using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// `as=Table` for custom resources with additionalPrinterColumns: a Name column, then the CRD's columns;
/// date columns are shown as ages, as the real server does.
/// </summary>
internal static partial class TableConverter
{
    public static JsonObject ToTable(ResourceType type, JsonObject listOrObject, bool isList)
    {
        // A kind whose columns name the object themselves (events) gets no leading Name column.
        bool leadingName = !(type.PrinterColumns ?? []).Any(c => Json.Str(c, "jsonPath") == ".metadata.name");
        var columns = new JsonArray();
        if (leadingName)
        {
            columns.Add(new JsonObject
            {
                ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name must be unique within a namespace.", ["priority"] = 0,
            });
        }

        foreach (var column in type.PrinterColumns ?? [])
        {
            columns.Add(new JsonObject
            {
                ["name"] = Json.Str(column, "name"),
                ["type"] = Json.Str(column, "type") == "date" ? "date" : Json.Str(column, "type"),
                ["format"] = Json.Str(column, "jsonPath") == ".metadata.name" ? "name" : Json.Str(column, "format") ?? "",
                ["description"] = Json.Str(column, "description") ?? "",
                ["priority"] = Json.Long(column?["priority"]) ?? 0,
            });
        }

        var items = isList ? listOrObject["items"] as JsonArray ?? [] : new JsonArray(listOrObject.DeepClone());
        var rows = new JsonArray();
        foreach (var item in items.OfType<JsonObject>())
        {
            var cells = leadingName ? new JsonArray(JsonValue.Create(Json.Str(item, "metadata", "name"))) : [];
            foreach (var column in type.PrinterColumns ?? [])
            {
                cells.Add(Cell(item, Json.Str(column, "jsonPath") ?? "", Json.Str(column, "type"), type.IsCustom));
            }

            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            });
        }

        var metadata = new JsonObject();
        if (isList)
        {
            metadata["resourceVersion"] = Json.Str(listOrObject, "metadata", "resourceVersion");
            if (Json.Str(listOrObject, "metadata", "continue") is { } next)
            {
                metadata["continue"] = next;
            }
        }
        else
        {
            metadata["resourceVersion"] = Json.Str(listOrObject, "metadata", "resourceVersion");
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    /// <summary>Kubernetes' human-readable duration (`45s`, `3m20s`, `5h`, `2d3h`).</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return I(seconds) + "s";
        }

        if (minutes < 10)
        {
            return seconds % 60 == 0 ? I(minutes) + "m" : I(minutes) + "m" + I(seconds % 60) + "s";
        }

        if (minutes < 180)
        {
            return I(minutes) + "m";
        }

        if (hours < 8)
        {
            return minutes % 60 == 0 ? I(hours) + "h" : I(hours) + "h" + I(minutes % 60) + "m";
        }

        if (hours < 48)
        {
            return I(hours) + "h";
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? I(hours / 24) + "d" : I(hours / 24) + "d" + I(hours % 24) + "h";
        }

        if (hours < 24 * 365 * 2)
        {
            return I(hours / 24) + "d";
        }

        var years = hours / 24 / 365;
        return hours < 24 * 365 * 8 ? I(years) + "y" + I((hours / 24) % 365) + "d" : I(years) + "y";
    }

    private static JsonNode? Cell(JsonObject obj, string jsonPath, string? type, bool custom)
    {
        var value = jsonPath.StartsWith('@') ? Computed(obj, jsonPath) : Evaluate(obj, jsonPath);
        if (value is null)
        {
            // Built-in tables print absent counts as 0 and absent strings as <none>; CRD columns stay empty.
            return custom ? null : type == "integer" ? 0 : "<none>";
        }

        if (type == "date" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && DateTime.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return HumanDuration(DateTime.UtcNow - time);
        }

        return value is JsonValue ? value.DeepClone() : value.ToJsonString();
    }

    private static JsonNode? Computed(JsonObject obj, string name)
    {
        var status = obj["status"] as JsonObject;
        switch (name)
        {
            case "@none":
                return "<none>";
            case "@podReady":
            {
                var containers = (obj["spec"]?["containers"] as JsonArray)?.Count ?? 0;
                var ready = (status?["containerStatuses"] as JsonArray ?? []).Count(c => Json.IsTrue(c?["ready"]));
                return $"{ready}/{containers}";
            }

            case "@podStatus":
                if (obj["metadata"]?["deletionTimestamp"] is not null)
                {
                    return "Terminating";
                }

                foreach (var container in status?["containerStatuses"] as JsonArray ?? [])
                {
                    if (Json.Str(container, "state", "waiting", "reason") is { } waiting)
                    {
                        return waiting;
                    }

                    if (Json.Str(container, "state", "terminated", "reason") is { } terminated && Json.Str(status, "phase") != "Succeeded")
                    {
                        return terminated;
                    }
                }

                return Json.Str(status, "phase") ?? "Pending";
            case "@podRestarts":
                return (status?["containerStatuses"] as JsonArray ?? []).Sum(c => Json.Long(c?["restartCount"]) ?? 0);
            case "@readyReplicas":
                return $"{Json.Long(status?["readyReplicas"]) ?? 0}/{Json.Long(obj["spec"]?["replicas"]) ?? 0}";
            case "@servicePorts":
            {
                var ports = (obj["spec"]?["ports"] as JsonArray ?? []).Select(p => $"{Json.Long(p?["port"])}/{Json.Str(p, "protocol") ?? "TCP"}").ToList();
                return ports.Count == 0 ? "<none>" : string.Join(",", ports);
            }

            case "@nodeStatus":
            {
                var ready = (status?["conditions"] as JsonArray ?? []).FirstOrDefault(c => Json.Str(c, "type") == "Ready");
                return Json.Str(ready, "status") == "True" ? "Ready" : "NotReady";
            }

            case "@eventLastSeen":
                return obj["lastTimestamp"] ?? obj["eventTime"] ?? obj["series"]?["lastObservedTime"] ?? obj["metadata"]?["creationTimestamp"];
            case "@eventObject":
            {
                var involved = obj["involvedObject"] ?? obj["regarding"];
                var kind = Json.Str(involved, "kind")?.ToLowerInvariant();
                return kind is null ? null : $"{kind}/{Json.Str(involved, "name")}";
            }

            case "@eventCount":
                return Json.Long(obj["count"]) ?? Json.Long(obj["series"]?["count"]) ?? 1;
            case "@dataCount":
                return ((obj["data"] as JsonObject)?.Count ?? 0) + ((obj["binaryData"] as JsonObject)?.Count ?? 0);
            default:
                return null;
        }
    }

    /// <summary>The JSONPath subset printer columns use: `.a.b`, `[n]`, `[?(@.type=="Ready")]`.</summary>
    private static JsonNode? Evaluate(JsonNode? node, string path)
    {
        foreach (Match token in PathToken().Matches(path))
        {
            if (node is null)
            {
                return null;
            }

            if (token.Groups["field"].Success)
            {
                node = node is JsonObject o ? o[token.Groups["field"].Value] : null;
            }
            else if (token.Groups["index"].Success)
            {
                var i = int.Parse(token.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = node is JsonArray a && i < a.Count ? a[i] : null;
            }
            else if (token.Groups["filterField"].Success)
            {
                var field = token.Groups["filterField"].Value;
                var expected = token.Groups["filterValue"].Value;
                node = node is JsonArray a ? a.FirstOrDefault(e => Json.Str(e, field) == expected) : null;
            }
        }

        return node;
    }

    [GeneratedRegex("""\.(?<field>[A-Za-z0-9_\-]+)|\[(?<index>[0-9]+)\]|\[\?\(@\.(?<filterField>[A-Za-z0-9_\-]+)\s*==\s*["'](?<filterValue>[^"']*)["']\)\]""")]
    private static partial Regex PathToken();
}
