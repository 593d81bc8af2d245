namespace AudioPrune.Tests;

/// <summary>
/// Files of the project's shared folder, which sits beside the repository (../shared from the repository root),
/// wherever the repository was cloned.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(string relative) => System.IO.Path.Combine(Root.Value, relative);

    public static string KerasModel(string name) => Path($"models/dcase21-keras/{name}_best_model_dcase2021.h5");

    private static string FindRoot()
    {
        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryFiles.Root, "..", "shared"));
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"the shared folder is missing: expected it at {shared}, beside the repository");
    }
}
