using System.Text;
using CacheOperator.Node.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace CacheOperator.Node.IntegrationTests.Differential;

/// <summary>
/// Every case is sent on a new connection to memcached and to our node, both freshly flushed; the replies must be
/// the same bytes, apart from the tokens <see cref="ReplyNormalizer"/> documents.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ByteExactDifferentialTests(ServerPairFixture servers, ITestOutputHelper output) : IClassFixture<ServerPairFixture>
{
    public static TheoryData<string> CaseNames => DifferentialCases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Reply_IsByteIdenticalToMemcached(string caseName)
    {
        var testCase = DifferentialCases.Get(caseName);
        if (testCase.FreshServers)
        {
            using var reference = MemcachedProcess.Start(ServerPairFixture.Settings);
            using var candidate = NodeUnderTest.Start(ServerPairFixture.Settings);
            await CompareAsync(testCase, reference, candidate);
        }
        else
        {
            await CompareAsync(testCase, servers.Reference, servers.Candidate);
        }
    }

    private async Task CompareAsync(DifferentialCase testCase, ICacheServer reference, ICacheServer candidate)
    {
        await Task.WhenAll(FlushAsync(reference), FlushAsync(candidate));

        var conversations = await Task.WhenAll(
            RawConversation.RunAsync(reference.Port, testCase.Steps),
            RawConversation.RunAsync(candidate.Port, testCase.Steps));
        var expected = conversations[0].Render();
        var actual = conversations[1].Render();

        output.WriteLine($"case {testCase.Name}: {testCase.Steps.Count} step(s)");
        foreach (var step in testCase.Steps)
        {
            output.WriteLine("  request: " + ByteText.Escape(step.ToString()).Replace("\n", "", StringComparison.Ordinal));
        }

        if (expected != actual)
        {
            Assert.Fail(DescribeDifference(testCase, expected, actual, candidate));
        }

        Assert.False(candidate.HasExited, $"{candidate.Name} exited during the case.\n{candidate.Describe()}");
    }

    private static async Task FlushAsync(ICacheServer server)
    {
        var transcript = await RawConversation.RunAsync(server.Port, [new RawStep("flush_all\r\n")]);
        var reply = Encoding.Latin1.GetString(transcript.Reply);
        Assert.True(reply == "OK\r\nMN\r\n", $"{server.Name} did not answer flush_all with OK before the case: '{ByteText.Escape(reply)}'.\n{server.Describe()}");
    }

    private static string DescribeDifference(DifferentialCase testCase, string expected, string actual, ICacheServer candidate)
    {
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var text = new StringBuilder();
        text.AppendLine($"Case '{testCase.Name}': {candidate.Name} replied differently from memcached at rendered offset {at}.");
        text.AppendLine("--- memcached ---").AppendLine(Clip(expected));
        text.AppendLine($"--- {candidate.Name} ---").AppendLine(Clip(actual));
        text.AppendLine("--- first difference (memcached | ours) ---");
        text.AppendLine(Clip(expected[Math.Max(0, at - 60)..Math.Min(expected.Length, at + 60)]));
        text.AppendLine(Clip(actual[Math.Max(0, at - 60)..Math.Min(actual.Length, at + 60)]));
        return text.ToString();
    }

    private static string Clip(string text) => text.Length <= 4000 ? text : text[..4000] + $"... ({text.Length} chars)";
}
