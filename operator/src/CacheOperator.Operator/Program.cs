using CacheOperator.Operator;

OperatorOptions options;
try
{
    options = OperatorOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"cache-operator: {ex.Message}");
    await Console.Error.WriteLineAsync(OperatorOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(OperatorOptions.Usage);
    return 0;
}

return await OperatorHost.RunAsync(options);
