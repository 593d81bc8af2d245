using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// A Linear reads features (weight axis 1) and writes features (weight axis 0, bias). Its rows do not score
/// (linear layers are not pruned by a criterion), so a group made only of linear features is not prunable; its rows
/// are cut when another rule ties its output to a conv's group (a squeeze-excitation gate).
/// </summary>
internal sealed class LinearRule : ChannelRule<LinearNode>
{
    protected override void Couple(LinearNode node, ChannelCoupling coupling)
    {
        coupling.Slice(node.Inputs[0], $"{node.Name}.weight", 1);
        coupling.Slice(node.Name, $"{node.Name}.weight", 0);
        if (node.Bias) coupling.Slice(node.Name, $"{node.Name}.bias", 0);
    }

    protected override Node Resize(LinearNode node, ChannelCut cut) =>
        node with { InFeatures = cut.KeptCount(node.Inputs[0]), OutFeatures = cut.KeptCount(node.Name) };
}
