namespace AudioPrune.Tests.Interop;

/// <summary>The authors' trained DCASE21_Net Keras models, checked in under Interop/KerasFixtures.</summary>
internal static class KerasModels
{
    public static string Folder => SharedFiles.KerasFolder;

    public static string File(string prefix) => SharedFiles.KerasModel(prefix);
}
