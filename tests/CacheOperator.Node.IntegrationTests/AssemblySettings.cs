// The suites start real servers and measure one node's memory under fuzzing; running classes in parallel on a
// 2-core machine would turn CPU starvation into timeouts and make the RSS bound meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
