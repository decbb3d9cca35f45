using CacheOperator.Kubernetes;
using Microsoft.Extensions.Logging;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>What every pod worker shares.</summary>
internal sealed record KubeletServices(
    IKubernetesClient Client,
    KubeletOptions Options,
    ProcessLauncher Launcher,
    LoopbackAddressPool Addresses,
    IPodObjectSource Objects,
    ProbeRunner Probes,
    ILogger Logger)
{
    public const string HostIP = "127.0.0.1";
    public const string FaultAnnotation = "sandbox.cacheoperator.io/fault";
}
