using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// <see cref="NonOverlappingMaxPool"/> must choose the element libtorch's max_pool2d chooses, so that values,
/// indices and gradients are identical: ties (the first maximum in row-major order, common after a ReLU), NaNs (the
/// last), widths and heights with a remainder narrower than a window, and one or two threads.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class NonOverlappingMaxPoolTests
{
    [Theory]
    [InlineData(5, 5, 40, 53, 1, false)]  // DCASE21_Net's first pool, with 3 columns left over
    [InlineData(4, 100, 8, 100, 2, false)] // its second
    [InlineData(2, 2, 9, 17, 2, false)]    // VGGish_Net's, odd sizes
    [InlineData(3, 2, 12, 10, 1, true)]    // small integers: ties everywhere, and NaNs
    [InlineData(5, 5, 10, 10, 2, true)]
    public void Values_indices_and_gradients_equal_libtorchs_max_pool(int kh, int kw, int height, int width, int threads, bool ties)
    {
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(3);
            using var scope = NewDisposeScope();
            var x = ties ? randint(0, 3, [3, 4, height, width]).to(float32) : randn(3, 4, height, width).relu_();
            if (ties)
            {
                // Two NaNs in one window and row, one more in the row below: libtorch keeps the last of them.
                x[0, 0, 0, 0] = float.NaN;
                x[0, 0, 0, 1] = float.NaN;
                x[1, 2, 1, 0] = float.NaN;
                x[1, 2, 2, 1] = float.NaN;
            }
            var upstream = randn(3, 4, height / kh, width / kw);

            var mine = x.clone().requires_grad_(true);
            var pooled = NonOverlappingMaxPool.Run(mine, new Size2(kh, kw));
            (pooled * upstream).sum().backward(); // NaN loss, finite gradients: they show which element was chosen
            var reference = x.clone().requires_grad_(true);
            var (expected, _) = nn.functional.max_pool2d_with_indices(reference, [kh, kw], [kh, kw]);
            (expected * upstream).sum().backward();

            Assert.Equal(expected.shape, pooled.shape);
            Assert.True(Same(pooled.detach(), expected.detach()), "pooled values differ");
            Assert.True(Same(mine.grad!, reference.grad!), "gradients differ");
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    [Fact]
    public void The_graph_module_uses_it_for_max_pools_whose_windows_tile_the_input()
    {
        static Pool2dNode Pool(PoolKind kind, int kernel, int stride, int padding = 0) => new()
        {
            Name = "p", Inputs = [NetworkGraph.InputName], Kind = kind, Kernel = Size2.Square(kernel), Stride = Size2.Square(stride),
            Padding = Size2.Square(padding),
        };
        Assert.True(NonOverlappingMaxPool.Supports(Pool(PoolKind.Max, 5, 5)));
        Assert.False(NonOverlappingMaxPool.Supports(Pool(PoolKind.Max, 3, 2)));
        Assert.False(NonOverlappingMaxPool.Supports(Pool(PoolKind.Max, 2, 2, padding: 1)));
        Assert.False(NonOverlappingMaxPool.Supports(Pool(PoolKind.Avg, 2, 2)));
    }

    /// <summary>Equal element for element, NaN where the other has NaN.</summary>
    private static bool Same(Tensor a, Tensor b) =>
        a.isnan().equal(b.isnan()).all().item<bool>() && a.nan_to_num(0).equal(b.nan_to_num(0)).all().item<bool>();
}
