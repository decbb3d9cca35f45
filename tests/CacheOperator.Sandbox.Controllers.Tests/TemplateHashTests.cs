using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.Controllers.Tests;

public class TemplateHashTests
{
    [Fact]
    public void Compute_IgnoresKeyOrderAndNulls()
    {
        var a = JsonNode.Parse("""{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""");
        var b = JsonNode.Parse("""{"spec":{"containers":[{"image":"i","name":"c"}],"nodeName":null},"metadata":{"labels":{"b":"2","a":"1"}}}""");

        Assert.Equal(TemplateHash.Compute(a), TemplateHash.Compute(b));
    }

    [Fact]
    public void Compute_ChangesWithContent()
    {
        var a = JsonNode.Parse("""{"spec":{"containers":[{"name":"c","image":"i:1"}]}}""");
        var b = JsonNode.Parse("""{"spec":{"containers":[{"name":"c","image":"i:2"}]}}""");

        Assert.NotEqual(TemplateHash.Compute(a), TemplateHash.Compute(b));
    }

    [Fact]
    public void Compute_UsesOnlyTheNameAlphabet()
    {
        string hash = TemplateHash.Compute(JsonNode.Parse("""{"x":1}"""));

        Assert.NotEmpty(hash);
        Assert.All(hash, c => Assert.Contains(c, TemplateHash.Alphabet));
    }
}
