namespace AudioPrune.Tests;

/// <summary>Files of this repository (examples, docs), found from the test assembly's folder.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AudioPrune.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no repository root (AudioPrune.slnx) above {AppContext.BaseDirectory}");
    });

    public static string Root => RootFolder.Value;

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);
}
