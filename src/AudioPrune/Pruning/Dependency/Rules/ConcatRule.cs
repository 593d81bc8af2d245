using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// Concatenation on channels: output channels [offset, offset + C_i) are input i's channels, offset being the sum of
/// the earlier inputs' widths. On another axis every input's channel c is the output's channel c.
/// </summary>
internal sealed class ConcatRule : ChannelRule<ConcatNode>
{
    protected override void Couple(ConcatNode node, ChannelCoupling coupling)
    {
        var offset = 0;
        foreach (var input in node.Inputs)
        {
            coupling.TieRange(input, 0, node.Name, node.Axis == 0 ? offset : 0, coupling.Units(input));
            if (node.Axis == 0) offset += coupling.Units(input);
        }
    }
}
