using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// A conv's filters start a group: its output units are scored by its own weight rows, and weight axis 0 and the
/// bias follow them. A plain conv (groups 1) slices weight axis 1 by its input's units. A depthwise conv
/// (groups == in == out) has one filter per input channel: its output channel c is its input channel c, so it
/// joins its producer's group and its filters are cut (and scored) with the producer's. Other groupings tie channels
/// in blocks of in/groups and are refused: both sides are blocked, naming the conv. A conv that reads a 1 x 1 map (a
/// squeeze-excitation's excitation) is cut with its group but does not score it: its filters weigh a pooled vector,
/// not a time-frequency shape.
/// </summary>
internal sealed class ConvRule : ChannelRule<Conv2dNode>
{
    public static bool IsDepthwise(Conv2dNode conv) =>
        conv.Groups > 1 && conv.Groups == conv.InChannels && conv.Groups == conv.OutChannels;

    protected override void Couple(Conv2dNode node, ChannelCoupling coupling)
    {
        var input = node.Inputs[0];
        if (node.Groups == 1) coupling.Slice(input, $"{node.Name}.weight", 1);
        else if (IsDepthwise(node)) coupling.TieAll(input, node.Name);
        else
        {
            var reason = $"grouped conv '{node.Name}' (groups {node.Groups}, {node.InChannels} in, {node.OutChannels} out) ties channels in blocks; only depthwise grouping is supported";
            coupling.Block(input, reason);
            coupling.Block(node.Name, reason);
            return;
        }
        if (coupling.ShapeOf(input).ElementsPerChannel > 1) coupling.ScoredBy(node.Name, node);
        coupling.Slice(node.Name, $"{node.Name}.weight", 0);
        if (node.Bias) coupling.Slice(node.Name, $"{node.Name}.bias", 0);
    }

    protected override Node Resize(Conv2dNode node, ChannelCut cut)
    {
        var output = cut.KeptCount(node.Name);
        return node with
        {
            InChannels = cut.KeptCount(node.Inputs[0]),
            OutChannels = output,
            Groups = IsDepthwise(node) ? output : node.Groups,
        };
    }
}
