using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>Channel-major flattening: channel c of a C x H x W map owns features [c*H*W, (c+1)*H*W).</summary>
internal sealed class FlattenRule : ChannelRule<FlattenNode>
{
    protected override void Couple(FlattenNode node, ChannelCoupling coupling)
    {
        var input = node.Inputs[0];
        var rest = (int)coupling.ShapeOf(input).ElementsPerChannel;
        for (var c = 0; c < coupling.Units(input); c++)
        {
            for (var r = 0; r < rest; r++) coupling.Tie(input, c, node.Name, c * rest + r);
        }
    }
}
