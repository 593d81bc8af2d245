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
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AudioPrune.slnx")))
            {
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
                if (Directory.Exists(shared)) return shared;
                throw new DirectoryNotFoundException($"the shared folder is missing: expected it at {shared}, beside the repository");
            }
        }
        throw new DirectoryNotFoundException($"no repository root (AudioPrune.slnx) above {AppContext.BaseDirectory}");
    }
}
