using System.Text.Json.Nodes;
using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;
using CacheOperator.Reconciler.Reconcile;

namespace CacheOperator.Reconciler.Tests;

public class ObjectComparerTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", false)]
    [InlineData("""{"a":{"x":"y"}}""", """{"a":{"x":"y","serverDefault":true}}""", true)]
    [InlineData("""{"ports":[{"port":1}]}""", """{"ports":[{"port":1,"protocol":"TCP"}]}""", true)]
    [InlineData("""{"ports":[{"port":1}]}""", """{"ports":[{"port":1},{"port":2}]}""", false)]
    [InlineData("""{"ports":[{"port":1},{"port":2}]}""", """{"ports":[{"port":2},{"port":1}]}""", false)]
    [InlineData("""{"cpu":"0.1"}""", """{"cpu":"100m"}""", true)]
    [InlineData("""{"memory":"1024Mi"}""", """{"memory":"1Gi"}""", true)]
    [InlineData("""{"memory":"1024Mi"}""", """{"memory":"1025Mi"}""", false)]
    [InlineData("""{"cpu":"1"}""", """{"cpu":1}""", true)]
    [InlineData("""{"emptyDir":{}}""", """{}""", true)]
    [InlineData("""{"list":[]}""", """{}""", true)]
    [InlineData("""{"flag":true}""", """{"flag":"true"}""", false)]
    [InlineData("""{"name":"a"}""", """{"name":"b"}""", false)]
    public void Covers_IgnoresServerAdditions_ButNotDifferences(string want, string have, bool covered) =>
        Assert.Equal(covered, ObjectComparer.Covers(JsonNode.Parse(have), JsonNode.Parse(want)));

    [Fact]
    public void Hash_ChangesWhenAFieldIsDropped_SoTheApplyRemovesIt()
    {
        var before = new ConfigMap { Metadata = new ObjectMeta { Name = "x" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } };
        var after = new ConfigMap { Metadata = new ObjectMeta { Name = "x" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        ObjectComparer.StampHash(before);
        ObjectComparer.StampHash(after);

        Assert.False(ObjectComparer.Covers(before, after));
        Assert.True(ObjectComparer.Covers(before, before));
    }

    [Fact]
    public void StampHash_IsStable()
    {
        var a = new ConfigMap { Metadata = new ObjectMeta { Name = "x" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        ObjectComparer.StampHash(a);
        string first = a.Metadata.Annotations![ObjectComparer.DesiredHashAnnotation];
        ObjectComparer.StampHash(a);

        Assert.Equal(first, a.Metadata.Annotations[ObjectComparer.DesiredHashAnnotation]);
    }
}
