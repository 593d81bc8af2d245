using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// Batch norm is element-wise per channel: channels pass through. On axis 0 its four per-channel tensors follow
/// the channels; on another axis (CNN14's mel-bin norm) its parameters belong to that axis and stay whole.
/// </summary>
internal sealed class BatchNormRule : ChannelRule<BatchNormNode>
{
    protected override void Couple(BatchNormNode node, ChannelCoupling coupling)
    {
        coupling.TieAll(node.Inputs[0], node.Name);
        if (node.Axis != 0) return;
        foreach (var p in node.Parameters) coupling.Slice(node.Name, p.FullName(node.Name), 0);
    }

    protected override Node Resize(BatchNormNode node, ChannelCut cut) =>
        node.Axis == 0 ? node with { Channels = cut.KeptCount(node.Name) } : node;
}
