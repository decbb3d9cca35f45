using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) for the few kinds typed clients write
/// to the sandbox: Helm's release Secrets, `kubectl create namespace|configmap|secret|serviceaccount`, and
/// DeleteOptions. Field numbers are those of k8s.io/api's generated.proto files. Other kinds answer 415.
/// </summary>
internal static class ProtobufDecoder
{
    private static readonly Message Time = new("Time", new() { [1] = F("seconds", Kind.Int64), [2] = F("nanos", Kind.Int64) });

    private static readonly Message OwnerReference = new("OwnerReference", new()
    {
        [1] = F("kind", Kind.String), [3] = F("name", Kind.String), [4] = F("uid", Kind.String),
        [5] = F("apiVersion", Kind.String), [6] = F("controller", Kind.Bool), [7] = F("blockOwnerDeletion", Kind.Bool),
    });

    private static readonly Message ObjectMeta = new("ObjectMeta", new()
    {
        [1] = F("name", Kind.String), [2] = F("generateName", Kind.String), [3] = F("namespace", Kind.String),
        [5] = F("uid", Kind.String), [6] = F("resourceVersion", Kind.String), [7] = F("generation", Kind.Int64),
        [8] = new("creationTimestamp", Kind.Time, Time), [10] = F("deletionGracePeriodSeconds", Kind.Int64),
        [11] = F("labels", Kind.StringMap), [12] = F("annotations", Kind.StringMap),
        [13] = new("ownerReferences", Kind.RepeatedMessage, OwnerReference),
        [14] = F("finalizers", Kind.RepeatedString),
    });

    private static readonly Message LocalObjectReference = new("LocalObjectReference", new() { [1] = F("name", Kind.String) });

    private static readonly Message ObjectReference = new("ObjectReference", new()
    {
        [1] = F("kind", Kind.String), [2] = F("namespace", Kind.String), [3] = F("name", Kind.String),
        [4] = F("uid", Kind.String), [5] = F("apiVersion", Kind.String),
    });

    private static readonly Dictionary<string, Message> Kinds = new(StringComparer.Ordinal)
    {
        ["Secret"] = new("Secret", new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta), [2] = F("data", Kind.BytesMap), [3] = F("type", Kind.String),
            [4] = F("stringData", Kind.StringMap), [5] = F("immutable", Kind.Bool),
        }),
        ["ConfigMap"] = new("ConfigMap", new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta), [2] = F("data", Kind.StringMap),
            [3] = F("binaryData", Kind.BytesMap), [4] = F("immutable", Kind.Bool),
        }),
        ["Namespace"] = new("Namespace", new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta),
            [2] = new("spec", Kind.Message, new Message("NamespaceSpec", new() { [1] = F("finalizers", Kind.RepeatedString) })),
        }),
        ["ServiceAccount"] = new("ServiceAccount", new()
        {
            [1] = new("metadata", Kind.Message, ObjectMeta), [2] = new("secrets", Kind.RepeatedMessage, ObjectReference),
            [3] = F("automountServiceAccountToken", Kind.Bool), [4] = new("imagePullSecrets", Kind.RepeatedMessage, LocalObjectReference),
        }),
        ["DeleteOptions"] = new("DeleteOptions", new()
        {
            [1] = F("gracePeriodSeconds", Kind.Int64),
            [2] = new("preconditions", Kind.Message, new Message("Preconditions", new() { [1] = F("uid", Kind.String), [2] = F("resourceVersion", Kind.String) })),
            [3] = F("orphanDependents", Kind.Bool), [4] = F("propagationPolicy", Kind.String),
            [5] = F("dryRun", Kind.RepeatedString),
        }),
    };

    private enum Kind
    {
        String,
        Int64,
        Bool,
        Message,
        RepeatedMessage,
        RepeatedString,
        StringMap,
        BytesMap,
        Time,
    }

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || body[0] != 0x6b || body[1] != 0x38 || body[2] != 0x73 || body[3] != 0)
        {
            throw ApiException.BadRequest("protobuf body without the k8s envelope");
        }

        string? apiVersion = null;
        string? kind = null;
        byte[]? raw = null;
        var reader = new Reader(body, 4, body.Length);
        while (reader.More)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == 2)
            {
                var typeMeta = reader.Sub();
                while (typeMeta.More)
                {
                    var (f, w) = typeMeta.Tag();
                    if (f == 1 && w == 2)
                    {
                        apiVersion = typeMeta.String();
                    }
                    else if (f == 2 && w == 2)
                    {
                        kind = typeMeta.String();
                    }
                    else
                    {
                        typeMeta.Skip(w);
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                raw = reader.Bytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (kind is null || raw is null || !Kinds.TryGetValue(kind, out var message))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the sandbox API server decodes protobuf only for {string.Join(", ", Kinds.Keys)} (got {kind ?? "no kind"}); send JSON (kubectl create -f / apply -f)");
        }

        var obj = DecodeMessage(new Reader(raw, 0, raw.Length), message);
        if (kind != "DeleteOptions")
        {
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
        }

        return obj;
    }

    private static FieldSpec F(string name, Kind kind) => new(name, kind, null);

    private static JsonObject DecodeMessage(Reader reader, Message message)
    {
        var obj = new JsonObject();
        while (reader.More)
        {
            var (number, wire) = reader.Tag();
            if (!message.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            switch (field.Kind)
            {
                case Kind.String:
                    // proto2 writes empty non-pointer strings; JSON omits them.
                    var text = reader.String();
                    if (text.Length > 0)
                    {
                        obj[field.Name] = text;
                    }

                    break;
                case Kind.Int64:
                    var integer = (long)reader.Varint();
                    if (integer != 0 || field.Name != "generation")
                    {
                        obj[field.Name] = integer;
                    }

                    break;
                case Kind.Bool:
                    obj[field.Name] = reader.Varint() != 0;
                    break;
                case Kind.Message:
                    obj[field.Name] = DecodeMessage(reader.Sub(), field.Message!);
                    break;
                case Kind.Time:
                    var time = DecodeMessage(reader.Sub(), field.Message!);
                    if (Json.Long(time["seconds"]) is null or 0)
                    {
                        break;
                    }

                    obj[field.Name] = DateTimeOffset.FromUnixTimeSeconds(Json.Long(time["seconds"]) ?? 0).UtcDateTime
                        .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    break;
                case Kind.RepeatedMessage:
                    Array(obj, field.Name).Add(DecodeMessage(reader.Sub(), field.Message!));
                    break;
                case Kind.RepeatedString:
                    Array(obj, field.Name).Add(reader.String());
                    break;
                case Kind.StringMap:
                case Kind.BytesMap:
                    var entry = reader.Sub();
                    string key = "";
                    JsonNode? value = "";
                    while (entry.More)
                    {
                        var (f, w) = entry.Tag();
                        if (f == 1 && w == 2)
                        {
                            key = entry.String();
                        }
                        else if (f == 2 && w == 2)
                        {
                            value = field.Kind == Kind.BytesMap ? Convert.ToBase64String(entry.Bytes()) : entry.String();
                        }
                        else
                        {
                            entry.Skip(w);
                        }
                    }

                    if (obj[field.Name] is not JsonObject map)
                    {
                        map = [];
                        obj[field.Name] = map;
                    }

                    map[key] = value;
                    break;
            }
        }

        return obj;
    }

    private static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray array)
        {
            array = [];
            obj[name] = array;
        }

        return array;
    }

    private sealed record FieldSpec(string Name, Kind Kind, Message? Message);

    private sealed record Message(string Name, Dictionary<int, FieldSpec> Fields);

    /// <summary>A cursor over protobuf wire format.</summary>
    private sealed class Reader(byte[] buffer, int position, int end)
    {
        private int _position = position;

        public bool More => _position < end;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= end)
                {
                    throw ApiException.BadRequest("truncated protobuf body");
                }

                var b = buffer[_position++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw ApiException.BadRequest("malformed protobuf varint");
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            if (length < 0 || _position + length > end)
            {
                throw ApiException.BadRequest("truncated protobuf body");
            }

            var bytes = buffer.AsSpan(_position, length).ToArray();
            _position += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public Reader Sub()
        {
            var length = (int)Varint();
            if (length < 0 || _position + length > end)
            {
                throw ApiException.BadRequest("truncated protobuf body");
            }

            var sub = new Reader(buffer, _position, _position + length);
            _position += length;
            return sub;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position += 8;
                    break;
                case 2:
                    var length = (int)Varint();
                    _position += length;
                    break;
                case 5:
                    _position += 4;
                    break;
                default:
                    throw ApiException.BadRequest($"unsupported protobuf wire type {wire}");
            }
        }
    }
}
