using System.Text.RegularExpressions;

namespace AudioPrune.Tests.Api;

/// <summary>The library's public surface is small, and docs/api.md lists exactly what it is.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] Exported = typeof(AudioPruneModel).Assembly.GetExportedTypes()
        .Select(t => t.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Fewer_than_sixty_public_types()
    {
        Assert.InRange(Exported.Length, 1, 59);
    }

    [Fact]
    public void Docs_api_lists_every_public_type_and_no_other()
    {
        var text = File.ReadAllText(RepositoryFiles.Path("docs/api.md"));
        // Each type is listed once as a level-3 heading: ### `AudioPrune.AudioPruneModel`
        var listed = Regex.Matches(text, @"^### `([A-Za-z0-9_.]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Exported, listed);
    }

    [Fact]
    public void Public_types_live_in_the_root_namespace()
    {
        Assert.All(Exported, name => Assert.Matches(@"^AudioPrune\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$", name));
        Assert.All(typeof(AudioPruneModel).Assembly.GetExportedTypes(), t => Assert.Equal("AudioPrune", t.Namespace));
    }
}
