using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>Element-wise activations pass channels through; a softmax mixes all features, so it blocks them.</summary>
internal sealed class ActivationRule : ChannelRule<ActivationNode>
{
    protected override void Couple(ActivationNode node, ChannelCoupling coupling)
    {
        if (node.Kind != ActivationKind.Softmax)
        {
            coupling.TieAll(node.Inputs[0], node.Name);
            return;
        }
        var reason = $"softmax '{node.Name}' mixes every feature";
        coupling.Block(node.Inputs[0], reason);
        coupling.Block(node.Name, reason);
    }
}
