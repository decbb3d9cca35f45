using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CacheOperator.Sandbox.ApiServer;

/// <summary>
/// One open watch. Events are serialized by the writer (under the store's lock) into a bounded channel, so a
/// slow client never blocks writes; one that falls too far behind has its channel completed and must re-watch.
/// </summary>
internal sealed class Watcher(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int capacity)
{
    private readonly Channel<string> _channel = Channel.CreateBounded<string>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ResourceType Type { get; } = type;

    /// <summary>Set for `as=Table` watches: each event's object becomes a one-row Table.</summary>
    public Func<JsonObject, JsonObject>? Transform { get; set; }

    public ChannelReader<string> Reader => _channel.Reader;

    public bool Overflowed { get; private set; }

    /// <summary>Turns a stored change into what this watcher sees: selectors may turn a MODIFIED into ADDED or DELETED.</summary>
    public bool Offer(StoredEvent e)
    {
        if (e.StoreKey != Type.StoreKey)
        {
            return true;
        }

        var now = Matches(e.Object);
        var before = e.Previous is not null && Matches(e.Previous);
        var type = e.Type switch
        {
            "MODIFIED" when now && !before => "ADDED",
            "MODIFIED" when !now && before => "DELETED",
            _ => e.Type,
        };
        if (!now && !before)
        {
            return true;
        }

        if (e.Type is "ADDED" or "DELETED" && !now)
        {
            return true;
        }

        return Send(type, e.Object);
    }

    public bool Matches(JsonObject obj) =>
        (ns is null || Json.Str(obj, "metadata", "namespace") == ns)
        && labels.Matches(Json.Labels(obj))
        && fields.Matches(obj);

    public bool Send(string type, JsonObject obj)
    {
        var shown = obj;
        if (Json.Str(obj, "apiVersion") != Type.ApiVersion)
        {
            shown = Json.Clone(obj);
            shown["apiVersion"] = Type.ApiVersion;
        }

        if (Transform is not null && type != "BOOKMARK")
        {
            shown = Transform(shown);
        }

        var line = "{\"type\":\"" + type + "\",\"object\":" + shown.ToJsonString() + "}\n";
        if (_channel.Writer.TryWrite(line))
        {
            return true;
        }

        Overflowed = true;
        _channel.Writer.TryComplete();
        return false;
    }

    public bool SendBookmark(long resourceVersion) =>
        Send("BOOKMARK", new JsonObject
        {
            ["kind"] = Type.Kind,
            ["apiVersion"] = Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    public void Close() => _channel.Writer.TryComplete();
}
