using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CacheOperator.Api.Tests.Cel;

/// <summary>
/// Runs CEL rules through cel-es under node (see evaluate-rules.cjs). The package is installed by
/// <c>make tools</c> under .tools/cel, or found through CEL_ES_NODE_MODULES.
/// </summary>
internal static class CelEvaluator
{
    public static string? NodeModules { get; } = FindNodeModules();

    public static string? Node { get; } = FindOnPath("node");

    public static bool Available => NodeModules is not null && Node is not null;

    public static string MissingReason =>
        "cel-es is not installed: run make tools (npm install --prefix .tools/cel @bufbuild/cel@0.6.1) and have node on PATH";

    /// <summary>Each rule's verdict on its self: true, false, or "error: ...".</summary>
    public static IReadOnlyList<JsonNode?> Evaluate(IReadOnlyList<(string Rule, JsonNode? Self)> cases)
    {
        var input = Path.Combine(Path.GetTempPath(), $"cel-cases-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(input, new JsonArray([.. cases.Select(c => new JsonObject { ["rule"] = c.Rule, ["self"] = c.Self?.DeepClone() })]).ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "Cel", "evaluate-rules.cjs");
            var start = new ProcessStartInfo(Node!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { script, NodeModules!, input })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
                    throw new TimeoutException("node did not finish evaluating the rules within 60 s");
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"node exited {process.ExitCode}: {stderr.Result}");
                return JsonNode.Parse(stdout.Result)!.AsArray().ToList();
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string? FindNodeModules()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("CEL_ES_NODE_MODULES"),
            RepositoryFiles.PathOf(Path.Combine(".tools", "cel", "node_modules")),
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && Directory.Exists(Path.Combine(c, "@bufbuild", "cel")));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
