namespace AudioPrune.Tests;

/// <summary>Model files other tools made, checked into the repository beside their licence (tests/AudioPrune.Tests/Interop/KerasFixtures).</summary>
internal static class SharedFiles
{
    public static string KerasFolder => RepositoryFiles.Path("tests/AudioPrune.Tests/Interop/KerasFixtures");

    public static string KerasModel(string name) => System.IO.Path.Combine(KerasFolder, $"{name}_best_model_dcase2021.h5");
}
