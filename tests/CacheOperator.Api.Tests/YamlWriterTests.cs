using System.Text.Json.Nodes;
using CacheOperator.CrdGen;

namespace CacheOperator.Api.Tests;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("plain words, with commas; and (parentheses)")]
    [InlineData("popular:")]
    [InlineData("key: value")]
    [InlineData("text #comment")]
    [InlineData("#comment")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("1Mi")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".5")]
    [InlineData("-x")]
    [InlineData("- x")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("say \"hi\"")]
    [InlineData("back\\slash")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("ünïcödé")]
    [InlineData("it's")]
    [InlineData("'quoted'")]
    [InlineData("@at")]
    [InlineData("%percent")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("|literal")]
    [InlineData(">folded")]
    [InlineData("[flow]")]
    [InlineData("{flow}")]
    [InlineData("self.all(p, p.name != 'default')")]
    [InlineData("^[!-~]+$")]
    public void String_ReadsBackUnchanged_AsAValueAndAsAKey(string text)
    {
        var document = new JsonObject
        {
            ["value"] = text,
            ["list"] = new JsonArray(text, new JsonObject { ["k"] = text }),
            [text] = 1,
        };

        var read = YamlJson.Read(YamlWriter.Write(document));

        Assert.True(JsonNode.DeepEquals(document, read), YamlWriter.Write(document));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("y")]
    [InlineData("True")]
    public void Yaml11Booleans_AreQuoted_ForReadersThatStillResolveThem(string text)
    {
        // kubectl's YAML reader follows YAML 1.1, where these are booleans; our test reader follows 1.2.
        Assert.Equal($"value: \"{text}\"\n", YamlWriter.Write(new JsonObject { ["value"] = text }));
    }

    [Fact]
    public void Nesting_ReadsBackUnchanged()
    {
        var document = new JsonObject
        {
            ["empty"] = new JsonObject(),
            ["none"] = new JsonArray(),
            ["numbers"] = new JsonArray(1, -2, 3.5),
            ["flags"] = new JsonArray(true, false),
            ["nothing"] = null,
            ["items"] = new JsonArray(
                new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["c"] = new JsonArray("x", "y") } },
                new JsonArray(new JsonObject { ["deep"] = "er" }, "z")),
        };

        var read = YamlJson.Read(YamlWriter.Write(document));

        Assert.True(JsonNode.DeepEquals(document, read), YamlWriter.Write(document));
    }

    [Fact]
    public void Output_UsesTheLayoutKubectlPrints()
    {
        var document = new JsonObject
        {
            ["spec"] = new JsonObject { ["names"] = new JsonArray("cc"), ["versions"] = new JsonArray(new JsonObject { ["name"] = "v1", ["served"] = true }) },
        };

        Assert.Equal("spec:\n  names:\n  - cc\n  versions:\n  - name: v1\n    served: true\n", YamlWriter.Write(document));
    }
}
