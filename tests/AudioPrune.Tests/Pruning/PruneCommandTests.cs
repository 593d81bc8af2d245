using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Planning;

namespace AudioPrune.Tests.Pruning;

/// <summary>The prune command end to end, and its refusals: one line naming the problem, exit 2, nothing written.</summary>
public sealed class PruneCommandTests
{
    [Fact]
    public void Prune_writes_a_loadable_smaller_model_and_its_plan()
    {
        using var temp = new TempDirectory();
        var model = temp.File("p.safetensors");
        var plan = temp.File("plan.json");
        var json = temp.File("summary.json");
        var run = CliRunner.Run("prune", "dcase21", "--method", "similarity", "--out", model, "--plan", plan, "--json", json, "--seed", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("conv2", run.Output);
        Assert.Contains("% fewer", run.Output);
        var artifact = ModelArtifact.Load(model);
        var record = PlanFile.Read(plan);
        Assert.Equal(record.Layers.Select(l => l.KeptCount), artifact.Graph.ConvLayers.Select(c => c.OutChannels));
        Assert.Equal(record.After.ParamsTotal, ComplexityReport.Of(artifact.Graph).ParamsTotal);
        Assert.True(artifact.Metadata.ContainsKey(PrunedModel.MetadataKey));
        Assert.True(artifact.Metadata.ContainsKey(ModelArtifact.ProvenanceKey));
        Assert.Equal(10, artifact.Labels.Count);
        Assert.True(File.Exists(json));

        // Re-applying the plan to the same network gives the same model; --match-plan gives the same widths.
        var again = temp.File("again.safetensors");
        Assert.Equal(0, CliRunner.Run("prune", "dcase21", "--seed", "2", "--plan-in", plan, "--out", again).ExitCode);
        Assert.Equal(artifact.Weights["conv3.weight"].Data, ModelArtifact.Load(again).Weights["conv3.weight"].Data);
        var l1 = temp.File("l1.safetensors");
        Assert.Equal(0, CliRunner.Run("prune", "dcase21", "--method", "l1", "--match-plan", plan, "--out", l1).ExitCode);
        Assert.Equal(artifact.Graph.ConvLayers.Select(c => c.OutChannels), ModelArtifact.Load(l1).Graph.ConvLayers.Select(c => c.OutChannels));

        // A pruned model can be pruned again (its own network and fingerprint).
        var twice = temp.File("twice.safetensors");
        var second = CliRunner.Run("prune", model, "--method", "l2", "--layers", "conv3", "--keep", "8", "--out", twice);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(8, ModelArtifact.Load(twice).Graph.ConvLayers[2].OutChannels);
    }

    [Theory]
    [InlineData("'conv9'", "--layers", "conv9", "--ratio", "0.5")]
    [InlineData("--ratio 1", "--ratio", "1")]
    [InlineData("--ratio -0.1", "--ratio", "-0.1")]
    [InlineData("'conv2'", "--layers", "conv1,conv2", "--keep", "8,17")]
    [InlineData("'conv1'", "--layers", "conv1", "--keep", "0")]
    [InlineData("linear layer", "--layers", "fc1", "--ratio", "0.5")]
    [InlineData("unknown pruning method", "--method", "magic", "--ratio", "0.5")]
    [InlineData("has no count of its own", "--method", "gm")]
    [InlineData("--landmarks", "--landmarks", "zero")]
    [InlineData("--conv-layout nchwc", "--conv-layout", "nchwc", "--ratio", "0.5")]
    public void Bad_input_is_one_line_exit_2_and_writes_nothing(string expected, params string[] extra)
    {
        using var temp = new TempDirectory();
        var args = new List<string> { "prune", "dcase21", "--out", temp.File("out.safetensors"), "--plan", temp.File("plan.json") };
        if (!extra.Contains("--method")) args.AddRange(["--method", extra.Contains("--keep") || extra.Contains("--ratio") ? "l1" : "nystrom"]);
        args.AddRange(extra);
        var run = CliRunner.Run(args.ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void The_summary_says_how_many_multiply_adds_onnx_runtime_still_executes()
    {
        using var temp = new TempDirectory();
        var json = temp.File("summary.json");
        var run = CliRunner.Run("prune", "dcase21", "--method", "l1", "--keep", "11,11,22", "--conv-layout", "blocked16",
            "--out", temp.File("c123.safetensors"), "--json", json);
        Assert.True(run.ExitCode == 0, run.Error);
        // Parent: conv2 folded by 2 (32 filters, 8x7 kernel, 20 row groups) 286.72 M + conv1 15.68 M + conv3 20.0704 M + fc 7,400.
        // C1+C2+C3: conv2 folded by 4 (48 filters, 10x7 kernel) 184.8 M + conv1 in one 16-block 15.68 M + conv3 11.83 M + fc.
        Assert.Contains("MACs: 286.6 M -> 138.9 M per example (51.56 % fewer)", run.Output);
        Assert.Contains($"executed by ONNX Runtime (blocked16 convolutions, {ConvolutionLayout.Blocked16.Purpose()}): 322.5 M -> 212.3 M multiply-adds per example (34.16 % fewer)", run.Output);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)))
        {
            var executed = doc.RootElement.GetProperty("executed");
            Assert.Equal("blocked16", executed.GetProperty("conv_layout").GetString());
            Assert.Equal(322_477_800, executed.GetProperty("before").GetInt64());
            Assert.Equal(212_312_600, executed.GetProperty("after").GetInt64());
        }

        var plain = CliRunner.Run("prune", "dcase21", "--method", "l1", "--keep", "11,11,22", "--conv-layout", "plain",
            "--out", temp.File("plain.safetensors"), "--json", json);
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.DoesNotContain("executed", plain.Output);
        Assert.DoesNotContain("\"executed\"", File.ReadAllText(json));
    }

    [Fact]
    public void The_authors_keras_model_prunes_end_to_end_with_the_kept_sets_read_directly()
    {
        using var temp = new TempDirectory();
        var plan = temp.File("plan.json");
        var file = Path.Combine(KerasKernels.Folder, "C3_best_model_dcase2021.h5");
        var run = CliRunner.Run("prune", file, "--method", "similarity", "--out", temp.File("c3.safetensors"), "--plan", plan);
        Assert.True(run.ExitCode == 0, run.Error);
        // The importer's graph and weights give the same decisions as the kernels read here with PureHDF.
        var decisions = PlanFile.Read(plan).Layers;
        var kernels = KerasKernels.Read("C3_best_model_dcase2021.h5");
        Assert.Equal(kernels.Count, decisions.Count);
        for (var i = 0; i < kernels.Count; i++)
        {
            var direct = new AudioPrune.Pruning.Criteria.SimilarityImportance()
                .Score(new FilterBank(kernels[i].Layer, kernels[i].Weight)).Kept(null);
            Assert.Equal(direct, decisions[i].Kept);
        }
    }

    [Fact]
    public void A_method_is_required_unless_a_plan_is_reapplied()
    {
        using var temp = new TempDirectory();
        var run = CliRunner.Run("prune", "dcase21", "--ratio", "0.5", "--out", temp.File("out.safetensors"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--method is required", run.Error);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_plan_from_another_network_is_refused()
    {
        using var temp = new TempDirectory();
        var plan = temp.File("plan.json");
        Assert.Equal(0, CliRunner.Run("prune", "dcase21", "--method", "similarity", "--out", temp.File("a.safetensors"), "--plan", plan).ExitCode);
        var run = CliRunner.Run("prune", "cnn6", "--input", "1x64x64", "--method", "l1", "--plan-in", plan, "--out", temp.File("b.safetensors"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("plan is for network 'dcase21'", run.Error);
        Assert.False(File.Exists(temp.File("b.safetensors")));
    }

    [Fact]
    public void Non_finite_weights_are_refused_naming_the_layer()
    {
        using var temp = new TempDirectory();
        var source = ModelArtifact.Create(Zoo.ModelZoo.Create("dcase21").Graph, WeightInitializer.Initialize(Zoo.ModelZoo.Create("dcase21").Graph, 0));
        source.Weights["conv2.weight"].Data[7] = float.NaN;
        var path = temp.File("nan.safetensors");
        // Saved without the artifact's own check, as a foreign tool might have written it.
        SafetensorsFile.Write(path, source.Weights, new Dictionary<string, string>
        {
            [ModelArtifact.FormatKey] = ModelArtifact.Format,
            [ModelArtifact.GraphKey] = GraphJson.Serialize(source.Graph),
        });
        var run = CliRunner.Run("prune", path, "--method", "l1", "--ratio", "0.5", "--out", temp.File("out.safetensors"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("conv2", run.Error);
        Assert.False(File.Exists(temp.File("out.safetensors")));
    }
}
