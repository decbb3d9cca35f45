using System.CommandLine;
using CacheOperator.LoadGen;

var host = new Option<string>("--host") { Description = "Server address (loopback)", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port", "-p") { Description = "Server port", DefaultValueFactory = _ => 11211 };
var connections = new Option<int>("--connections", "-c") { Description = "Connections", DefaultValueFactory = _ => 4 };
var threads = new Option<int>("--threads", "-t") { Description = "Client threads (connections are spread over them)", DefaultValueFactory = _ => 2 };
var pipeline = new Option<int>("--pipeline", "-d") { Description = "Requests written per connection before reading the replies", DefaultValueFactory = _ => 1 };
var getRatio = new Option<double>("--get-ratio", "-r") { Description = "Fraction of requests that are gets; the rest are sets", DefaultValueFactory = _ => 0.9 };
var keys = new Option<int>("--keys", "-k") { Description = "Distinct keys", DefaultValueFactory = _ => 100_000 };
var keySize = new Option<int>("--key-size") { Description = "Key length in bytes (keys are zero-padded to exactly this)", DefaultValueFactory = _ => 32 };
var valueSize = new Option<int>("--value-size", "-v") { Description = "Value length in bytes", DefaultValueFactory = _ => 100 };
var valueSizeMax = new Option<int>("--value-size-max") { Description = "Largest value length: each set's length is uniform in [value-size, this] (0 = every value is value-size)", DefaultValueFactory = _ => 0 };
var zipf = new Option<double>("--zipf", "-s") { Description = "Zipf skew of key popularity (0 = uniform)", DefaultValueFactory = _ => 0.0 };
var prefill = new Option<bool>("--prefill") { Description = "Set every key once before the run" };
var duration = new Option<double>("--duration") { Description = "Measured seconds (0 = only prefill)", DefaultValueFactory = _ => 5.0 };
var warmup = new Option<double>("--warmup") { Description = "Unmeasured seconds before measuring", DefaultValueFactory = _ => 1.0 };
var json = new Option<bool>("--json") { Description = "Also print the result as one JSON object" };
var verify = new Option<bool>("--verify") { Description = "Check every get hit against the value last written for the key (implies --prefill)" };
var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42UL };
var keyPrefix = new Option<string>("--key-prefix") { Description = "Key prefix", DefaultValueFactory = _ => "key:" };
var timeout = new Option<int>("--timeout-ms") { Description = "Socket send/receive timeout", DefaultValueFactory = _ => 5000 };
var label = new Option<string?>("--label") { Description = "Free text copied into the JSON output" };

var root = new RootCommand("memcached text-protocol load generator")
{
    host, port, connections, threads, pipeline, getRatio, keys, keySize, valueSize, valueSizeMax, zipf, prefill, duration, warmup,
    json, verify, seed, keyPrefix, timeout, label,
};
root.SetAction(parsed =>
{
    var options = new LoadGenOptions
    {
        Host = parsed.GetValue(host)!,
        Port = parsed.GetValue(port),
        Connections = parsed.GetValue(connections),
        Threads = parsed.GetValue(threads),
        Pipeline = parsed.GetValue(pipeline),
        GetRatio = parsed.GetValue(getRatio),
        Keys = parsed.GetValue(keys),
        KeySize = parsed.GetValue(keySize),
        ValueSize = parsed.GetValue(valueSize),
        ValueSizeMax = parsed.GetValue(valueSizeMax),
        ZipfSkew = parsed.GetValue(zipf),
        Prefill = parsed.GetValue(prefill),
        DurationSeconds = parsed.GetValue(duration),
        WarmupSeconds = parsed.GetValue(warmup),
        Json = parsed.GetValue(json),
        Verify = parsed.GetValue(verify),
        Seed = parsed.GetValue(seed),
        KeyPrefix = parsed.GetValue(keyPrefix)!,
        TimeoutMilliseconds = parsed.GetValue(timeout),
        Label = parsed.GetValue(label),
    };
    RunResult result;
    try
    {
        result = LoadRunner.Run(options);
    }
    catch (Exception e) when (e is ArgumentException or System.Net.Sockets.SocketException or IOException)
    {
        Console.Error.WriteLine($"loadgen: {e.Message}");
        return 2;
    }
    Console.WriteLine(result.ToHumanLine());
    if (options.Json)
        Console.WriteLine(result.ToJson());
    return result.Failure is not null || result.Counters.VerifyFailures > 0 || result.PrefillFailures > 0 ? 1 : 0;
});
return root.Parse(args).Invoke();
