using CacheOperator.Kubernetes.Models;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Controllers.Endpoints;

/// <summary>
/// The subsets of a Service's Endpoints from the pods its selector matches, as the endpoints controller computes
/// them: pods with an IP and not terminating; Ready ones under addresses, the others under notReadyAddresses
/// (or under addresses when the Service publishes not-ready addresses); a target port given by name resolves
/// to each pod's own container port, so pods are grouped into one subset per distinct set of ports. A pod
/// that lacks a named port is left out. Addresses carry the pod's hostname when the pod's subdomain is the
/// Service (a StatefulSet's headless Service), its node and a reference to it.
/// </summary>
public static class EndpointsBuilder
{
    public static bool Selects(Service service, Pod pod)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pod);
        IDictionary<string, string>? selector = service.Spec.Selector;
        if (selector is null || selector.Count == 0 || pod.Metadata.Namespace != service.Metadata.Namespace)
            return false;
        IDictionary<string, string>? labels = pod.Metadata.Labels;
        return selector.All(s => labels is not null && labels.TryGetValue(s.Key, out string? value) && value == s.Value);
    }

    public static List<EndpointSubset> Build(Service service, IEnumerable<Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        bool publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var groups = new Dictionary<string, (List<EndpointPort> Ports, List<EndpointAddress> Ready, List<EndpointAddress> NotReady)>(StringComparer.Ordinal);
        foreach (Pod pod in pods.Where(p => Selects(service, p)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            string? ip = pod.Status?.PodIP;
            if (string.IsNullOrEmpty(ip) || PodInspection.IsTerminating(pod) || PodInspection.IsFinished(pod))
                continue;
            List<EndpointPort>? ports = ResolvePorts(service, pod);
            if (ports is null)
                continue;
            string key = string.Join(',', ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}"));
            if (!groups.TryGetValue(key, out var group))
                groups[key] = group = (ports, [], []);
            EndpointAddress address = AddressOf(service, pod, ip);
            if (publishNotReady || PodInspection.IsRunningAndReady(pod))
                group.Ready.Add(address);
            else
                group.NotReady.Add(address);
        }
        return groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new EndpointSubset
        {
            Addresses = g.Value.Ready.Count > 0 ? g.Value.Ready : null,
            NotReadyAddresses = g.Value.NotReady.Count > 0 ? g.Value.NotReady : null,
            Ports = g.Value.Ports.Count > 0 ? g.Value.Ports : null,
        }).ToList();
    }

    private static EndpointAddress AddressOf(Service service, Pod pod, string ip) => new()
    {
        IP = ip,
        Hostname = !string.IsNullOrEmpty(pod.Spec.Hostname) && pod.Spec.Subdomain == service.Metadata.Name ? pod.Spec.Hostname : null,
        NodeName = pod.Spec.NodeName,
        TargetRef = new ObjectReference
        {
            Kind = "Pod",
            Namespace = pod.Metadata.Namespace,
            Name = pod.Metadata.Name,
            Uid = pod.Metadata.Uid,
        },
    };

    /// <summary>The Service's ports as this pod serves them; null when a named target port is missing.</summary>
    private static List<EndpointPort>? ResolvePorts(Service service, Pod pod)
    {
        var ports = new List<EndpointPort>();
        foreach (ServicePort port in service.Spec.Ports ?? [])
        {
            string protocol = port.Protocol ?? "TCP";
            int number;
            if (port.TargetPort is IntOrString { IsString: true } named)
            {
                ContainerPort? match = pod.Spec.Containers.SelectMany(c => c.Ports ?? [])
                    .FirstOrDefault(p => p.Name == named.StringValue && (p.Protocol ?? "TCP") == protocol);
                if (match is null)
                    return null;
                number = match.Port;
            }
            else
            {
                number = port.TargetPort is { IntValue: > 0 } target ? target.IntValue : port.Port;
            }
            ports.Add(new EndpointPort { Name = port.Name, Port = number, Protocol = protocol });
        }
        return ports;
    }
}
