using BenchmarkDotNet.Running;
using CacheOperator.Benchmarks;

// Without --job, every benchmark runs with the short in-process configuration (ShortInProcessConfig).
var config = args.Contains("--job") ? null : new ShortInProcessConfig();
BenchmarkSwitcher.FromAssembly(typeof(StorageBenchmarks).Assembly).Run(args, config);
