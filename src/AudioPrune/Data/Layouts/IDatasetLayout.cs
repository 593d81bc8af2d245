namespace AudioPrune.Data.Layouts;

/// <summary>A way datasets are laid out on disk, read in place (nothing is copied).</summary>
internal interface IDatasetLayout
{
    string Name { get; }

    /// <summary>What the layout looks for, for the "not recognised" message.</summary>
    string Signature { get; }

    /// <summary>True when <paramref name="path"/> (a folder, or a file for manifests) has this layout.</summary>
    bool Matches(string path);

    DatasetDescription Read(string path);
}
