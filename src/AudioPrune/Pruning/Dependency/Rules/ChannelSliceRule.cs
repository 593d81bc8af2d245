using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// Channels [Start, Start + Count) of the input are the output's channels 0..Count-1, so a split divides its
/// producer into one group per part; once cut, Start counts the kept input channels below it.
/// </summary>
internal sealed class ChannelSliceRule : ChannelRule<ChannelSliceNode>
{
    protected override void Couple(ChannelSliceNode node, ChannelCoupling coupling) =>
        coupling.TieRange(node.Inputs[0], node.Start, node.Name, 0, node.Count);

    protected override Node Resize(ChannelSliceNode node, ChannelCut cut) => node with
    {
        Start = cut.Kept(node.Inputs[0])?.Count(unit => unit < node.Start) ?? node.Start,
        Count = cut.KeptCount(node.Name),
    };
}
