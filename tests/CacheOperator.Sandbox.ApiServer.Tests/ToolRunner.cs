using System.Diagnostics;
using System.Text;

namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>
/// Runs real kubectl (and helm) against a sandbox server: a temp kubeconfig, a fresh cache dir, a timeout that
/// kills the process, and -v=8 on kubectl so a failure's message shows the requests and responses.
/// </summary>
public sealed class ToolRunner : IDisposable
{
    public const string KubectlPath = "/usr/bin/kubectl";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder;

    public ToolRunner(SandboxApiServer server)
    {
        _folder = Path.Combine(Path.GetTempPath(), "sandbox-apiserver-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        KubeconfigPath = Path.Combine(_folder, "kubeconfig");
        CacheDirectory = Path.Combine(_folder, "cache");
        server.WriteKubeconfig(KubeconfigPath);
    }

    public string KubeconfigPath { get; }

    public string CacheDirectory { get; }

    public string Folder => _folder;

    public static string HelmPath
    {
        get
        {
            var repoHelm = Path.Combine(RepoRoot(), ".tools", "bin", "helm");
            return File.Exists(repoHelm) ? repoHelm : "/tmp/helmget/helm/helm";
        }
    }

    public static string RepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CacheOperator.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Writes a file into this runner's temp folder and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<ToolResult> KubectlAsync(params string[] args) => RunAsync(KubectlPath, KubectlArgs(args), null, DefaultTimeout);

    public Task<ToolResult> KubectlWithInputAsync(string input, params string[] args) => RunAsync(KubectlPath, KubectlArgs(args), input, DefaultTimeout);

    public Task<ToolResult> HelmAsync(params string[] args) =>
        RunAsync(HelmPath, [.. args, "--kubeconfig", KubeconfigPath], null, DefaultTimeout);

    /// <summary>
    /// Starts kubectl and hands back the process, for commands that run until killed (get -w). Without -v=8:
    /// nobody drains stderr while the test reads stdout, and a full pipe would stall kubectl.
    /// </summary>
    public Process StartKubectl(params string[] args)
    {
        var process = new Process { StartInfo = StartInfo(KubectlPath, [.. args, "--kubeconfig", KubeconfigPath, "--cache-dir", CacheDirectory]) };
        process.Start();
        return process;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private string[] KubectlArgs(string[] args) => [.. args, "--kubeconfig", KubeconfigPath, "--cache-dir", CacheDirectory, "-v=8"];

    private ProcessStartInfo StartInfo(string path, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KUBECONFIG"] = KubeconfigPath;
        info.Environment["KUBECACHEDIR"] = CacheDirectory;
        info.Environment["HOME"] = _folder;
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(_folder, "helm-cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(_folder, "helm-config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(_folder, "helm-data");
        return info;
    }

    private async Task<ToolResult> RunAsync(string path, IEnumerable<string> args, string? input, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(path, args) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            lock (stderr)
            {
                stderr.AppendLine($"[killed after {timeout.TotalSeconds}s]");
            }
        }

        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ToolResult(process.HasExited ? process.ExitCode : -1, stdout.ToString(), stderr.ToString());
            }
        }
    }
}
