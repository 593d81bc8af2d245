using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Interop;
using AudioPrune.Runtime;
using TorchSharp;

namespace AudioPrune.Tests.Runtime;

/// <summary>Guards the fixes TorchSharp needs on this platform (ENVIRONMENT.md) and the libtorch settings, applied without user action.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class NativeRuntimeTests
{
    [Fact]
    public void TorchSharpLoadsAndComputes()
    {
        // Fails with TypeInitializationException when the native shim's GLIBCXX requirement was not relaxed.
        using var x = torch.ones(3, 4);
        Assert.Equal(12f, x.sum().item<float>());
    }

    [Fact]
    public void AllocatorIsTunedOnGlibcOnceTheGraphModuleIsUsed()
    {
        if (!OperatingSystem.IsLinux()) return;
        var graph = new SequentialBuilder("probe", new Shape(1, 4, 4)).Conv("conv", 2, 3).Build();
        using var module = TorchGraphModule.Create(graph, WeightInitializer.Initialize(graph, 1));
        Assert.True(NativeRuntime.IsGlibc, "expected glibc on Linux");
        Assert.True(NativeRuntime.AllocatorTuned, "mallopt thresholds were not applied when libtorch was first loaded");
    }

    [Fact]
    public void CpuPolicyResolvesEachKernelChoiceFromTheInstructionSets()
    {
        var avx512 = new CpuPolicy(oneDnnSeesAvx512: true, runtimeHasAvx512: true, runtimeHasAvx2: true);
        var avx2 = new CpuPolicy(oneDnnSeesAvx512: false, runtimeHasAvx512: false, runtimeHasAvx2: true);
        var neither = new CpuPolicy(oneDnnSeesAvx512: false, runtimeHasAvx512: false, runtimeHasAvx2: false);
        Assert.Equal((16, false, ConvolutionBlock.Sixteen), (avx512.OneDnnChannelBlock, avx512.SingleChannelConvolutionPays, avx512.OnnxRuntimeLayout));
        Assert.Equal((0, true, ConvolutionBlock.Eight), (avx2.OneDnnChannelBlock, avx2.SingleChannelConvolutionPays, avx2.OnnxRuntimeLayout));
        Assert.Equal(ConvolutionBlock.None, neither.OnnxRuntimeLayout);
    }

    [Fact]
    public void NnpackIsOffOnceTheGraphModuleIsUsed()
    {
        // Where NNPACK cannot start, libtorch printed a warning on every small convolution it offered to NNPACK.
        var graph = new SequentialBuilder("probe", new Shape(1, 4, 4)).Conv("conv", 2, 3).Build();
        using var module = TorchGraphModule.Create(graph, WeightInitializer.Initialize(graph, 1));
        Assert.False(NativeRuntime.NnpackEnabled(), "libtorch still offers convolutions to NNPACK");
    }

    [Fact]
    public void TorchModuleRunsTheGraphWithItsWeights()
    {
        var artifact = ModelLoader.Load("dcase21", seed: 3);
        using var module = TorchGraphModule.Create(artifact.Graph, artifact.Weights);
        using var input = torch.randn(2, 1, 40, 500);
        using var output = module.call(input);
        Assert.Equal(new long[] { 2, 10 }, output.shape);
        Assert.Equal(2f, output.sum().item<float>(), 4);   // softmax rows sum to 1

        var back = module.ToWeightMap();
        foreach (var name in artifact.Weights.Names) Assert.Equal(artifact.Weights[name].Data, back[name].Data);
    }

    [Fact]
    public void FrequencyBatchNormNormalisesMelBins()
    {
        var graph = new SequentialBuilder("bn", new Shape(1, 6, 4)).BatchNorm("bn0", axis: 2).Build();
        var weights = WeightInitializer.Initialize(graph, 0);
        weights["bn0.running_mean"] = new TensorData([4], [1f, 2f, 3f, 4f]);
        using var module = TorchGraphModule.Create(graph, weights);
        using var input = torch.ones(1, 1, 6, 4) * 4f;
        using var output = module.call(input);
        var values = output.data<float>().ToArray();
        Assert.Equal(3f, values[0], 3);   // (4 - 1) / sqrt(1 + eps) on mel bin 0
        Assert.Equal(0f, values[3], 3);   // (4 - 4) on mel bin 3
    }
}
