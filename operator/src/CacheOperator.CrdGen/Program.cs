using CacheOperator.CrdGen;

// Usage: CacheOperator.CrdGen <output dir> [<output dir> ...]
// Writes every CRD into each folder (crds/ and the chart's crds/ hold identical copies).
if (args.Length == 0 || args.Any(a => a.StartsWith('-')))
{
    Console.Error.WriteLine("usage: CacheOperator.CrdGen <output dir> [<output dir> ...]");
    return 2;
}

foreach (var directory in args)
{
    Directory.CreateDirectory(directory);
    foreach (var type in CrdGenerator.ResourceTypes)
    {
        var path = Path.Combine(directory, CrdGenerator.FileName(type));
        var yaml = CrdGenerator.GenerateYaml(type);
        var unchanged = File.Exists(path) && File.ReadAllText(path) == yaml;
        if (!unchanged)
            File.WriteAllText(path, yaml);
        Console.WriteLine($"{path}: {(unchanged ? "unchanged" : "written")}");
    }
}

return 0;
