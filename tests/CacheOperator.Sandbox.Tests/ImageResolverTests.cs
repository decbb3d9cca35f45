using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class ImageResolverTests
{
    [Theory]
    [InlineData("ghcr.io/cacheoperator/cache-node:0.1.0", "cache-node")]
    [InlineData("ghcr.io/cacheoperator/operator", "operator")]
    [InlineData("localhost:5000/cache-node:dev", "cache-node")]
    [InlineData("localhost:5000/cache-node", "cache-node")]
    [InlineData("cache-node@sha256:abc", "cache-node")]
    [InlineData("busybox", "busybox")]
    [InlineData("", "")]
    public void ShortName_IsTheRepositorysLastSegment(string image, string expected) =>
        Assert.Equal(expected, ImageResolver.ShortName(image));

    [Fact]
    public void TryResolve_UnknownImage_ExplainsWhatIsKnown()
    {
        var resolver = new ImageResolver(new Dictionary<string, LaunchTarget>
        {
            ["cache-node"] = LaunchTarget.FromPath("/opt/cache-node"),
            ["operator"] = LaunchTarget.FromPath("/opt/cache-operator.dll"),
        });
        Assert.True(resolver.TryResolve("ghcr.io/cacheoperator/cache-node:0.1.0", out var node));
        Assert.Equal("/opt/cache-node", node.FileName);
        Assert.True(resolver.TryResolve("ghcr.io/cacheoperator/operator:0.1.0", out var op));
        Assert.Equal("dotnet", op.FileName);
        Assert.Equal(["/opt/cache-operator.dll"], op.PrefixArguments);
        Assert.False(resolver.TryResolve("nginx:1.27", out _));
        Assert.Equal("image nginx:1.27 is not one the sandbox can run (known: cache-node, operator)",
            resolver.UnknownImageMessage("nginx:1.27"));
    }

    [Fact]
    public void FromRepository_FindsTheBuiltCacheNode()
    {
        var root = ImageResolver.FindRepositoryRoot(AppContext.BaseDirectory);
        Assert.NotNull(root);
        var resolver = ImageResolver.FromRepository(root);
        Assert.True(resolver.TryResolve("ghcr.io/cacheoperator/cache-node:0.1.0", out var target));
        Assert.True(File.Exists(target.PrefixArguments.FirstOrDefault() ?? target.FileName));
    }
}
