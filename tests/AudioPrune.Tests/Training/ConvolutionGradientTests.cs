using AudioPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// Guards the convolution kernels training runs on (oneDNN, with the instruction-set cap of <see cref="NativeRuntime"/>
/// where the CPU has AVX-512): on such machines the uncapped kernels gave wrong or NaN gradients, mostly for channel
/// counts that are not multiples of 8, and training diverged at random. The reference is the same convolution in
/// float64, which does not go through oneDNN.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1, 6, 3, 1)]
    [InlineData(6, 6, 3, 2)]
    [InlineData(8, 8, 3, 2)]
    [InlineData(1, 16, 7, 1)]
    [InlineData(12, 10, 7, 2)]
    [InlineData(11, 13, 7, 2)]
    [InlineData(16, 11, 7, 1)]
    [InlineData(22, 11, 3, 2)]
    public void Convolution_gradients_match_a_float64_reference(int inChannels, int outChannels, int kernel, int threads)
    {
        Assert.True(NativeRuntime.AllocatorTuned || !NativeRuntime.IsGlibc); // loads the library, so its initializer has run
        if (NativeRuntime.CpuHasAvx512()) Assert.NotNull(NativeEnvironment(NativeRuntime.OneDnnIsaVariable)); // the cap, or the user's own
        else Assert.Null(NativeRuntime.OneDnnIsaCap);
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            torch.manual_seed(5);
            using var scope = torch.NewDisposeScope();
            var conv = nn.Conv2d(inChannels, outChannels, kernel, padding: kernel / 2);
            var x0 = torch.randn(8, inChannels, 16, 24);
            var upstream = torch.randn(8, outChannels, 16, 24);
            var x64 = x0.to(float64).requires_grad_(true);
            var w64 = conv.weight!.detach().to(float64).requires_grad_(true);
            (nn.functional.conv2d(x64, w64, conv.bias!.detach().to(float64), padding: [kernel / 2, kernel / 2]) * upstream.to(float64)).sum().backward();
            for (var trial = 0; trial < 5; trial++)
            {
                conv.zero_grad();
                var x = x0.clone().requires_grad_(true);
                (conv.call(x) * upstream).sum().backward();
                var inputError = (x.grad!.to(float64) - x64.grad!).abs().max().item<double>();
                var weightError = (conv.weight!.grad!.to(float64) - w64.grad!).abs().max().item<double>();
                Assert.True(inputError < 1e-3, $"trial {trial}: input gradient off by {inputError}");
                Assert.True(weightError < 1e-2, $"trial {trial}: weight gradient off by {weightError}");
            }
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    private static string? NativeEnvironment(string name) =>
        System.Runtime.InteropServices.Marshal.PtrToStringAnsi(getenv(name));

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
