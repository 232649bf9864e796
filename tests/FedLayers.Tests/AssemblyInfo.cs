// TorchSharp's random generator and thread pool are process-wide: tests that seed and time
// models must not interleave, so test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
