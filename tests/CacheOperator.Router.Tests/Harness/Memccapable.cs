using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CacheOperator.Router.Tests.Harness;

/// <summary>
/// libmemcached's conformance tool (<c>memccapable</c>, Debian's libmemcached-tools), run against a port in
/// ASCII mode. The tool is someone else's reading of the protocol, which is the point of running it.
/// </summary>
internal static partial class Memccapable
{
    public const string Path = "/usr/bin/memccapable";

    /// <summary>Seconds the tool waits on one socket read before it fails the test it is in.</summary>
    private const int IoTimeoutSeconds = 5;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The ASCII tests of memccapable 1.x, in the order the tool runs them.</summary>
    public static IReadOnlyList<string> AsciiTests { get; } =
    [
        "ascii version", "ascii quit", "ascii verbosity", "ascii set", "ascii set noreply", "ascii get", "ascii gets",
        "ascii mget", "ascii flush", "ascii flush noreply", "ascii add", "ascii add noreply", "ascii replace",
        "ascii replace noreply", "ascii cas", "ascii cas noreply", "ascii delete", "ascii delete noreply",
        "ascii incr", "ascii incr noreply", "ascii decr", "ascii decr noreply", "ascii append", "ascii append noreply",
        "ascii prepend", "ascii prepend noreply", "ascii stat",
    ];

    /// <summary>Fails the calling test, with the fix, when the tool is not installed.</summary>
    public static void RequireInstalled() =>
        Assert.True(File.Exists(Path), $"{Path} is missing: run `make deps` (it installs libmemcached-tools)");

    /// <summary>
    /// Runs every ASCII test on <paramref name="port"/>, verbose, and returns each test's outcome by name with the
    /// tool's whole output for failure messages. The tool is killed if it overruns.
    /// </summary>
    public static async Task<MemccapableRun> RunAsync(int port)
    {
        RequireInstalled();
        // The tool writes a test's name to stdout and its [FAIL] to stderr: one pipe keeps them in order.
        var info = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c", "exec \"$0\" \"$@\" 2>&1", Path,
                "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", "-v", "-t", IoTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start memccapable");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"memccapable did not finish in {RunTimeout.TotalSeconds} s:\n{await stdout}{await stderr}");
        }

        var output = await stdout + await stderr;
        var outcomes = new Dictionary<string, bool>(StringComparer.Ordinal);
        // A failure may print an errno between the name and [FAIL], and its assertion trail runs into the next name.
        foreach (Match match in Outcome().Matches(output))
            outcomes[match.Groups[1].Value] = match.Groups[2].Value == "pass";
        return new MemccapableRun(process.ExitCode, outcomes, output);
    }

    [GeneratedRegex(@"(ascii [a-z]+(?: noreply)?) [^\[]*\[(pass|FAIL)\]")]
    private static partial Regex Outcome();
}
