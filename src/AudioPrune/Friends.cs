// The program, the tests and the benchmarks build on the library's internals; a library user sees only the
// public surface listed in docs/api.md.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("audioprune")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Bench.Features")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Bench.Groups")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Bench.Micro")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Bench.Pruning")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Bench.Training")]
