using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// The multiply-adds ONNX Runtime executes for one example of a graph exported in a convolution layout: each
/// convolution as its <see cref="ConvolutionPlan"/> writes it (filters padded to whole channel blocks, folded
/// kernels with their zeros), every other layer as counted by the project's MACs convention. Against the graph's
/// MACs, this shows how much of a pruned width the blocked kernels can turn into saved time.
/// </summary>
internal static class OnnxExecutedMacs
{
    public static long Of(NetworkGraph graph, ConvolutionLayout layout) => graph.Nodes.Sum(node => OfNode(graph, node, layout));

    /// <summary>The multiply-adds ONNX Runtime executes for each layer of the graph, in the graph's node order.</summary>
    public static long[] PerNode(NetworkGraph graph, ConvolutionLayout layout) =>
        graph.Nodes.Select(node => OfNode(graph, node, layout)).ToArray();

    /// <summary>The multiply-adds ONNX Runtime executes for one layer of the graph, for one example.</summary>
    public static long OfNode(NetworkGraph graph, Node node, ConvolutionLayout layout)
    {
        var output = graph.ShapeOf(node.Name);
        return node is Conv2dNode conv
            ? ConvolutionPlan.For(conv, output, layout).Macs(conv, output)
            : node.Macs(graph.InputShapesOf(node), output);
    }
}
