// Tests start real backend processes and measure failure detection: running them one at a time keeps the
// two-core machine's timings meaningful and the process count small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
