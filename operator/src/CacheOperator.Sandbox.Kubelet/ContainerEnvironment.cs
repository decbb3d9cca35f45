using System.Text;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// A container's environment as Kubernetes defines it: envFrom sources first (later ones win), then env in
/// order, each value expanded with <c>$(VAR)</c> against the variables defined before it.
/// </summary>
public static class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string> Build(Pod pod, Container container, string podIP, string hostIP,
        IPodObjectSource objects)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(objects);
        var ns = pod.Metadata.Namespace ?? "default";
        var env = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var source in ExtensionData.Read<List<EnvFromSource>>(container.AdditionalProperties, "envFrom") ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } cmRef)
            {
                var cm = objects.GetConfigMap(ns, cmRef.Name ?? "");
                if (cm is null && cmRef.Optional != true)
                    throw new ContainerConfigException($"configmap \"{cmRef.Name}\" not found");
                foreach (var (key, value) in cm?.Data ?? new Dictionary<string, string>())
                    env[prefix + key] = value;
            }

            if (source.SecretRef is { } secretRef)
            {
                var secret = objects.GetSecret(ns, secretRef.Name ?? "");
                if (secret is null && secretRef.Optional != true)
                    throw new ContainerConfigException($"secret \"{secretRef.Name}\" not found");
                foreach (var (key, value) in SecretValues.Of(secret))
                    env[prefix + key] = Encoding.UTF8.GetString(value);
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is { } from)
            {
                var value = ValueFrom(pod, ns, from, podIP, hostIP, objects);
                if (value is not null)
                    env[variable.Name] = value;
            }
            else
            {
                env[variable.Name] = VariableExpansion.Expand(variable.Value ?? "", name => env.GetValueOrDefault(name));
            }
        }

        return env;
    }

    private static string? ValueFrom(Pod pod, string ns, EnvVarSource from, string podIP, string hostIP, IPodObjectSource objects)
    {
        if (from.FieldRef is { } field)
            return PodFieldResolver.Resolve(pod, field.FieldPath, podIP, hostIP);

        if (from.ConfigMapKeyRef is { } cmKey)
        {
            var cm = objects.GetConfigMap(ns, cmKey.Name ?? "");
            if (cm?.Data is not null && cm.Data.TryGetValue(cmKey.Key, out var value))
                return value;
            if (cmKey.Optional == true)
                return null;
            throw new ContainerConfigException(cm is null
                ? $"configmap \"{cmKey.Name}\" not found"
                : $"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
        }

        if (from.SecretKeyRef is { } secretKey)
        {
            var secret = objects.GetSecret(ns, secretKey.Name ?? "");
            if (SecretValues.Of(secret).TryGetValue(secretKey.Key, out var bytes))
                return Encoding.UTF8.GetString(bytes);
            if (secretKey.Optional == true)
                return null;
            throw new ContainerConfigException(secret is null
                ? $"secret \"{secretKey.Name}\" not found"
                : $"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
        }

        // resourceFieldRef and anything newer: not modelled by the sandbox; the variable is left unset.
        return null;
    }
}
