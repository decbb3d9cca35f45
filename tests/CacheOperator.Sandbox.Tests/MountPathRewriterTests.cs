using CacheOperator.Sandbox.Kubelet;

namespace CacheOperator.Sandbox.Tests;

public class MountPathRewriterTests
{
    private static readonly MountPathRewriter Rewriter = new(new Dictionary<string, string>
    {
        ["/etc/ring"] = "/state/pods/p/volumes/ring",
        ["/etc/ring/extra"] = "/state/pods/p/volumes/extra",
        ["/var/run/token/"] = "/state/pods/p/volumes/token",
    });

    [Theory]
    [InlineData("/etc/ring", "/state/pods/p/volumes/ring")]
    [InlineData("/etc/ring/ring.json", "/state/pods/p/volumes/ring/ring.json")]
    [InlineData("--ring-file=/etc/ring/ring.json", "--ring-file=/state/pods/p/volumes/ring/ring.json")]
    [InlineData("/etc/ring/extra/x", "/state/pods/p/volumes/extra/x")]
    [InlineData("/var/run/token/token", "/state/pods/p/volumes/token/token")]
    [InlineData("a:/etc/ring b /etc/ring", "a:/state/pods/p/volumes/ring b /state/pods/p/volumes/ring")]
    [InlineData("/etc/ringer", "/etc/ringer")]
    [InlineData("/x/etc/ring", "/x/etc/ring")]
    [InlineData("etc/ring", "etc/ring")]
    [InlineData("no paths", "no paths")]
    public void Rewrite_ReplacesWholeMountPathPrefixesOnly(string input, string expected) =>
        Assert.Equal(expected, Rewriter.Rewrite(input));
}
