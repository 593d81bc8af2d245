using AudioPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// Guards the oneDNN instruction-set cap of <see cref="NativeRuntime"/>: without it, convolution input gradients
/// on two threads were wrong or NaN on the project's machines, and training diverged at random.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ConvolutionGradientTests
{
    [Theory]
    [InlineData(8, 3, 16, 20)]
    [InlineData(11, 7, 40, 50)]   // pruned DCASE21_Net widths: channel counts that are not multiples of 8
    [InlineData(16, 7, 8, 100)]
    public void Convolution_input_gradients_are_exact_on_two_threads(int channels, int kernel, int height, int width)
    {
        Assert.Equal(NativeRuntime.OneDnnIsaCap, Environment.GetEnvironmentVariable(NativeRuntime.OneDnnIsaVariable) ?? NativeEnvironment(NativeRuntime.OneDnnIsaVariable));
        var previous = torch.get_num_threads();
        torch.set_num_threads(2);
        try
        {
            torch.manual_seed(5);
            using var conv = nn.Conv2d(channels, channels, kernel, padding: kernel / 2);
            using var x0 = torch.rand(16, channels, height, width);
            using var ones = torch.ones(16, channels, height, width);
            // d(sum(conv(x)))/dx is the transposed convolution of ones with the same kernel, whatever x is.
            using var expected = nn.functional.conv_transpose2d(ones, conv.weight!, padding: [kernel / 2, kernel / 2]);
            for (var trial = 0; trial < 20; trial++)
            {
                using var scope = torch.NewDisposeScope();
                var x = x0.clone().requires_grad_(true);
                conv.call(x).sum().backward();
                var difference = (x.grad! - expected).abs().max().item<float>();
                Assert.True(difference < 1e-4, $"trial {trial}: input gradient off by {difference}");
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
