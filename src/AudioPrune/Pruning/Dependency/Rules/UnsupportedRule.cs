using AudioPrune.Graph;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>The rule of a node type nobody wrote a rule for: every unit it reads or writes must stay.</summary>
internal sealed class UnsupportedRule : IChannelRule
{
    public Type NodeType => typeof(Node);

    public void Couple(Node node, ChannelCoupling coupling)
    {
        var reason = $"node '{node.Name}' ({node.GetType().Name}) has no channel rule";
        foreach (var input in node.Inputs.Distinct()) coupling.Block(input, reason);
        coupling.Block(node.Name, reason);
    }

    public Node Resize(Node node, ChannelCut cut) => node;
}
