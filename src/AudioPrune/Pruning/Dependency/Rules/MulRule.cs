using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// An element-wise product (a squeeze-excitation gate times its map, or two maps of one shape): channel c of both
/// inputs and of the output is one channel, so the gate's producer (the excitation) is cut with the gated map.
/// </summary>
internal sealed class MulRule : ChannelRule<MulNode>
{
    protected override void Couple(MulNode node, ChannelCoupling coupling)
    {
        foreach (var input in node.Inputs) coupling.TieAll(input, node.Name);
    }
}
