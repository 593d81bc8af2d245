using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>An element-wise sum: channel c of every input and of the output is one channel (a residual stream).</summary>
internal sealed class AddRule : ChannelRule<AddNode>
{
    protected override void Couple(AddNode node, ChannelCoupling coupling)
    {
        foreach (var input in node.Inputs) coupling.TieAll(input, node.Name);
    }
}
