using System.Text;
using CacheOperator.Kubernetes.Models.Core;

namespace CacheOperator.Sandbox.Kubelet;

/// <summary>
/// Writes a pod's volumes as folders under <c>&lt;pod dir&gt;/volumes/&lt;volume&gt;</c>: configMap, secret,
/// emptyDir, downwardAPI and projected (configMap, secret, downwardAPI, serviceAccountToken). Called on every
/// sync: a file is rewritten (atomically) only when its content changed and files of removed keys are deleted,
/// so ConfigMap and Secret updates reach running processes.
/// </summary>
public static class VolumeMaterializer
{
    /// <summary>The token file of a projected serviceAccountToken: the sandbox API server needs no credentials.</summary>
    public const string DummyToken = "sandbox-no-auth-token";

    /// <summary>Returns volume name → host folder. Throws <see cref="ContainerConfigException"/> when a required source is missing.</summary>
    public static IReadOnlyDictionary<string, string> Sync(Pod pod, string podDirectory, string podIP, string hostIP,
        IPodObjectSource objects)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(objects);
        var ns = pod.Metadata.Namespace ?? "default";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var dir = Path.Combine(podDirectory, "volumes", volume.Name);
            Directory.CreateDirectory(dir);
            result[volume.Name] = dir;
            if (volume.EmptyDir is not null)
                continue;

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (volume.ConfigMap is { } cm)
            {
                AddConfigMap(files, objects.GetConfigMap(ns, cm.Name ?? ""), cm.Name, cm.Items, cm.Optional);
            }
            else if (volume.Secret is { } secret)
            {
                AddSecret(files, objects.GetSecret(ns, secret.SecretName ?? ""), secret.SecretName, secret.Items, secret.Optional);
            }
            else if (ExtensionData.Read<DownwardApiSource>(volume.AdditionalProperties, "downwardAPI") is { } downward)
            {
                AddDownward(files, pod, downward, podIP, hostIP);
            }
            else if (ExtensionData.Read<ProjectedVolumeSource>(volume.AdditionalProperties, "projected") is { } projected)
            {
                foreach (var source in projected.Sources ?? [])
                {
                    if (source.ConfigMap is { } pcm)
                        AddConfigMap(files, objects.GetConfigMap(ns, pcm.Name ?? ""), pcm.Name, pcm.Items, pcm.Optional);
                    if (source.Secret is { } ps)
                        AddSecret(files, objects.GetSecret(ns, ps.Name ?? ""), ps.Name, ps.Items, ps.Optional);
                    if (source.DownwardApi is { } pd)
                        AddDownward(files, pod, pd, podIP, hostIP);
                    if (source.ServiceAccountToken is { } token)
                        files[token.Path] = Encoding.UTF8.GetBytes(DummyToken);
                }
            }
            else
            {
                // hostPath, persistentVolumeClaim, ...: an empty folder stands in (documented in the README).
                continue;
            }

            WriteFiles(dir, files);
        }

        return result;
    }

    /// <summary>The files a real kubelet mounts at /var/run/secrets/kubernetes.io/serviceaccount.</summary>
    public static string SyncServiceAccount(Pod pod, string podDirectory)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var dir = Path.Combine(podDirectory, "serviceaccount");
        WriteFiles(dir, new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["token"] = Encoding.UTF8.GetBytes(DummyToken),
            ["namespace"] = Encoding.UTF8.GetBytes(pod.Metadata.Namespace ?? "default"),
        });
        return dir;
    }

    private static void AddConfigMap(Dictionary<string, byte[]> files, ConfigMap? cm, string? name, IList<KeyToPath>? items, bool? optional)
    {
        if (cm is null)
        {
            if (optional == true)
                return;
            throw new ContainerConfigException($"configmap \"{name}\" not found");
        }

        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in cm.Data ?? new Dictionary<string, string>())
            values[key] = Encoding.UTF8.GetBytes(value);
        foreach (var (key, value) in cm.BinaryData ?? new Dictionary<string, byte[]>())
            values[key] = value;
        AddValues(files, values, items, optional, $"ConfigMap {name}");
    }

    private static void AddSecret(Dictionary<string, byte[]> files, Secret? secret, string? name, IList<KeyToPath>? items, bool? optional)
    {
        if (secret is null)
        {
            if (optional == true)
                return;
            throw new ContainerConfigException($"secret \"{name}\" not found");
        }

        AddValues(files, SecretValues.Of(secret), items, optional, $"Secret {name}");
    }

    private static void AddValues(Dictionary<string, byte[]> files, IReadOnlyDictionary<string, byte[]> values,
        IList<KeyToPath>? items, bool? optional, string what)
    {
        if (items is null || items.Count == 0)
        {
            foreach (var (key, value) in values)
                files[key] = value;
            return;
        }

        foreach (var item in items)
        {
            if (values.TryGetValue(item.Key, out var value))
                files[item.Path] = value;
            else if (optional != true)
                throw new ContainerConfigException($"couldn't find key {item.Key} in {what}");
        }
    }

    private static void AddDownward(Dictionary<string, byte[]> files, Pod pod, DownwardApiSource source, string podIP, string hostIP)
    {
        foreach (var item in source.Items ?? [])
        {
            if (item.FieldRef is { } field)
                files[item.Path] = Encoding.UTF8.GetBytes(PodFieldResolver.Resolve(pod, field.FieldPath, podIP, hostIP));
        }
    }

    private static void WriteFiles(string dir, IReadOnlyDictionary<string, byte[]> files)
    {
        var root = Path.GetFullPath(dir);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, content) in files)
        {
            var path = Path.GetFullPath(Path.Combine(root, relative));
            // A key path must stay inside its volume (the API server validates this; the sandbox checks again).
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ContainerConfigException($"volume path \"{relative}\" leaves its volume");
            wanted.Add(path);
            AtomicFile.WriteIfChanged(path, content);
        }

        if (!Directory.Exists(root))
            return;
        foreach (var existing in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (!wanted.Contains(existing))
                File.Delete(existing);
        }
    }
}
