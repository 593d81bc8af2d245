using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Tests.Reliability;

/// <summary>
/// Seeded mutations of a valid model file: the reader must either load a model that passes validation or
/// raise a <see cref="UserInputException"/>; any other exception, a hang or a huge allocation is a failure.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SafetensorsFuzzTests
{
    public const int Cases = 3000;

    [Fact]
    public void MutatedModelFilesGiveCleanErrors()
    {
        var graph = new SequentialBuilder("tiny", new Shape(1, 8, 8))
            .Conv("conv1", 4, 3).BatchNorm("bn1").Relu("relu1").Flatten("flatten").Linear("fc", 3)
            .Build();
        var artifact = ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, 1));
        using var dir = new TempDirectory();
        var validPath = dir.File("valid.safetensors");
        artifact.Save(validPath);
        var valid = File.ReadAllBytes(validPath);

        var random = new Random(20261125);
        int loaded = 0, refused = 0;
        for (var i = 0; i < Cases; i++)
        {
            var mutated = FileMutator.Mutate(valid, random);
            using var stream = new MemoryStream(mutated, writable: false);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var contents = SafetensorsFile.Read(stream, $"case{i}");
                ModelArtifactFromContents(contents, $"case{i}");
                loaded++;
            }
            catch (UserInputException)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L << 20, $"case {i} allocated {allocated} bytes");
        }
        Assert.Equal(Cases, loaded + refused);
        Assert.True(refused > Cases / 2, $"only {refused} of {Cases} mutations were refused");
    }

    /// <summary>The artifact-level checks of <see cref="ModelArtifact.Load"/>, on contents read from memory.</summary>
    private static void ModelArtifactFromContents(SafetensorsFile.Contents contents, string source)
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        SafetensorsFile.Write(path, contents.Tensors, contents.Metadata);
        ModelArtifact.Load(path);
    }
}
