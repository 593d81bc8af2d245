using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Tests.Training;

/// <summary>Small networks for tests of the graph module.</summary>
internal static class SmallNets
{
    /// <summary>DCASE21_Net's shape at a 1x20x50 input: two convolutions, a 5x5 pool, a third convolution, a 4x10 pool, a classifier.</summary>
    public static NetworkGraph DcaseShaped(int c1, int c2, int c3) => new SequentialBuilder("net", new Shape(1, 20, 50))
        .Conv("conv1", c1, 7).BatchNorm("bn1").Relu("relu1")
        .Conv("conv2", c2, 7).BatchNorm("bn2").Relu("relu2")
        .Pool("pool1", PoolKind.Max, new Size2(5, 5))
        .Conv("conv3", c3, 7).BatchNorm("bn3").Relu("relu3")
        .Pool("pool2", PoolKind.Max, new Size2(4, 10))
        .Flatten("flat").Linear("fc", 10).Build();
}
