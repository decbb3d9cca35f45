using System.CommandLine;
using System.Text;
using CacheOperator.EvictionSim;

var keys = new Option<int>("--keys") { Description = "Key space size", DefaultValueFactory = _ => 1_000_000 };
var requests = new Option<int>("--requests") { Description = "Requests per trace", DefaultValueFactory = _ => 10_000_000 };
var skews = new Option<double[]>("--skews") { Description = "Zipf skews, one trace each", DefaultValueFactory = _ => [0.8, 1.0, 1.2], AllowMultipleArgumentsPerToken = true };
var sizes = new Option<double[]>("--sizes") { Description = "Cache sizes in percent of the key space", DefaultValueFactory = _ => [1.0, 5.0, 10.0], AllowMultipleArgumentsPerToken = true };
var seed = new Option<int>("--seed") { Description = "Trace seed", DefaultValueFactory = _ => 20261121 };
var noEngine = new Option<bool>("--no-engine") { Description = "Skip the real CacheStore" };
var engineMemory = new Option<int>("--engine-memory-mb") { Description = "Memory limit of the engine; the value size is calibrated to it", DefaultValueFactory = _ => 32 };
var quick = new Option<bool>("--quick") { Description = "Small smoke run: 100k keys, 1M requests, skew 1.0" };
var output = new Option<string?>("--output", "-o") { Description = "Write the markdown report here" };

var root = new RootCommand("hit-ratio study of eviction policies on Zipf traces")
{
    keys, requests, skews, sizes, seed, noEngine, engineMemory, quick, output,
};
root.SetAction(parsed =>
{
    bool isQuick = parsed.GetValue(quick);
    var options = new StudyOptions
    {
        Keys = isQuick ? 100_000 : parsed.GetValue(keys),
        Requests = isQuick ? 1_000_000 : parsed.GetValue(requests),
        Skews = isQuick ? [1.0] : parsed.GetValue(skews)!,
        SizePercents = parsed.GetValue(sizes)!,
        Seed = parsed.GetValue(seed),
        Engine = !parsed.GetValue(noEngine),
        EngineMemoryMiB = isQuick ? 8 : parsed.GetValue(engineMemory),
        Output = parsed.GetValue(output),
        CommandLine = "evictionsim " + string.Join(' ', args),
    };
    if (options.Keys < 100 || options.Requests < 1 || options.SizePercents.Any(p => p <= 0 || p > 100))
    {
        Console.Error.WriteLine("evictionsim: need at least 100 keys, one request, and sizes within (0, 100] percent");
        return 2;
    }

    string table = StudyRunner.Run(options, Console.Out);
    Console.WriteLine();
    Console.Write(table);
    if (options.Output is not null)
        File.WriteAllText(options.Output, Report.Render(options, table), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    return 0;
});
return root.Parse(args).Invoke();
