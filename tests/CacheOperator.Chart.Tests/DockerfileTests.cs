using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CacheOperator.Chart.Tests;

/// <summary>
/// No container engine runs here, so the images are never built in tests; these checks keep the Dockerfiles
/// consistent with the projects they publish and with the chart's security context.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string, string> Images { get; } = new()
    {
        { "cache-node/Dockerfile", "cache-node/src/CacheOperator.CacheNode/CacheOperator.CacheNode.csproj", "cache-node" },
        { "operator/Dockerfile", "operator/src/CacheOperator.Operator/CacheOperator.Operator.csproj", "cache-operator" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void FinalStage_IsChiseledAndNonRoot_AndStartsTheExecutable(string dockerfile, string project, string executable)
    {
        _ = project;
        var final = FinalStage(dockerfile);

        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/(aspnet|runtime|runtime-deps):10\.0[-\w]*chiseled", final[0]);
        Assert.Contains("USER 65532:65532", final);
        Assert.Contains($"ENTRYPOINT [\"/app/{executable}\"]", final);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Build_PublishesTheProjectWhoseAssemblyIsTheExecutable(string dockerfile, string project, string executable)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile));
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Matches(@"FROM (--platform=\S+ )?mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build", text);

        var path = Path.Combine(RepositoryPaths.Root, project);
        if (File.Exists(path))
        {
            // The operator's project may not exist yet while it is being written; once it does, it must match.
            var assemblyName = XDocument.Load(path).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault();
            Assert.Equal(executable, assemblyName);
        }
    }

    [Fact]
    public void DockerIgnore_KeepsLocalBuildOutputOutOfTheContext()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore")).Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains(".git/", lines);
    }

    private static List<string> FinalStage(string dockerfile)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, dockerfile))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var start = lines.FindLastIndex(l => FromLine().IsMatch(l));
        Assert.True(start >= 0, $"{dockerfile} has no FROM");
        return lines[start..];
    }

    [GeneratedRegex("^FROM ", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}
