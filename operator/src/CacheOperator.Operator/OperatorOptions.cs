using System.Globalization;
using System.Net;
using CacheOperator.Reconciler.Desired;

namespace CacheOperator.Operator;

/// <summary>The command line: <c>--name value</c>, <c>--name=value</c>, and bare <c>--leader-elect</c>.</summary>
public sealed record OperatorOptions
{
    public const string Usage = """
        cache-operator: runs CacheClusters (cacheoperator.io/v1alpha1).

          --metrics-port <port>                /metrics, /healthz, /readyz (default 8080; 0 = any free port)
          --metrics-bind-address <ip>          address to serve them on (default: every address); the chart
                                               passes the pod IP so replicas sharing a host network never clash
          --leader-elect[=true|false]          elect a leader through a Lease (default false)
          --leader-election-namespace <ns>     the Lease's namespace (default $POD_NAMESPACE, else the kubeconfig's)
          --watch-namespace <ns>               manage CacheClusters of one namespace (default: all)
          --cache-node-image <image>           image of cluster pods whose spec.image is empty
                                               (default ghcr.io/cacheoperator/cache-node:0.1.0)
          --kubeconfig <path>                  else $KUBECONFIG, else ~/.kube/config, else in-cluster
          --workers <n>                        concurrent reconciles (default 2)
        """;

    public int MetricsPort { get; init; } = 8080;
    public IPAddress? MetricsBindAddress { get; init; }
    public bool LeaderElect { get; init; }
    public string? LeaderElectionNamespace { get; init; }
    public string? WatchNamespace { get; init; }
    public string CacheNodeImage { get; init; } = new OperatorSettings().CacheNodeImage;
    public string? Kubeconfig { get; init; }
    public int Workers { get; init; } = 2;
    public bool Help { get; init; }

    public static OperatorOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new OperatorOptions { LeaderElectionNamespace = NonEmpty(environment("POD_NAMESPACE")) };
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inline = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value"));

            options = name switch
            {
                "-h" or "--help" => options with { Help = true },
                "--metrics-port" => options with { MetricsPort = Int(name, Value(), 0, 65535) },
                "--metrics-bind-address" => options with { MetricsBindAddress = Address(name, Value()) },
                "--leader-elect" => options with { LeaderElect = inline is null || Bool(name, inline) },
                "--leader-election-namespace" => options with { LeaderElectionNamespace = NonEmpty(Value()) },
                "--watch-namespace" => options with { WatchNamespace = NonEmpty(Value()) },
                "--cache-node-image" => options with { CacheNodeImage = NonEmpty(Value()) ?? throw new FormatException("--cache-node-image is empty") },
                "--kubeconfig" => options with { Kubeconfig = NonEmpty(Value()) },
                "--workers" => options with { Workers = Int(name, Value(), 1, 64) },
                _ => throw new FormatException($"unknown argument '{arg}'"),
            };
        }

        return options;
    }

    private static IPAddress? Address(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : IPAddress.TryParse(value, out IPAddress? address) ? address
        : throw new FormatException($"{name}: '{value}' is not an IP address");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name}: '{value}' is not a number in {min}..{max}");

    private static bool Bool(string name, string value) => value.ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => throw new FormatException($"{name}: '{value}' is not true or false"),
    };
}
