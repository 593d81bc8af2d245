namespace AudioPrune.Tests.Interop;

/// <summary>The authors' trained DCASE21_Net Keras models, in the shared folder beside the repository.</summary>
internal static class KerasModels
{
    public static string Folder => SharedFiles.Path("models/dcase21-keras");

    public static string File(string prefix) => SharedFiles.KerasModel(prefix);
}
