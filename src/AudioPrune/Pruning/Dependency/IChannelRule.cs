using AudioPrune.Graph;

namespace AudioPrune.Pruning.Dependency;

/// <summary>
/// What one node type does to channels, for pruning: which channel units of its inputs and output must be removed
/// together (<see cref="Couple"/>), which of its parameters follow which tensor's units, and its new form once some
/// units are gone (<see cref="Resize"/>). A unit is one index on axis 0 of a tensor (a channel of a C x H x W map, a
/// feature of a vector). One rule class per node type, registered in <see cref="ChannelRules"/>; a node type without
/// a rule blocks every group it touches, so a new node type is unprunable until its rule is written.
/// </summary>
internal interface IChannelRule
{
    /// <summary>The exact node type this rule is for.</summary>
    Type NodeType { get; }

    /// <summary>Declares the node's ties, parameter slices, filter sources and blocks.</summary>
    void Couple(Node node, ChannelCoupling coupling);

    /// <summary>The node with its sizes fitted to the kept units (the same node when nothing of it changes).</summary>
    Node Resize(Node node, ChannelCut cut);
}

/// <summary>A rule for one node type, typed.</summary>
internal abstract class ChannelRule<T> : IChannelRule where T : Node
{
    public Type NodeType => typeof(T);

    public void Couple(Node node, ChannelCoupling coupling) => Couple((T)node, coupling);

    public Node Resize(Node node, ChannelCut cut) => Resize((T)node, cut);

    protected abstract void Couple(T node, ChannelCoupling coupling);

    protected virtual Node Resize(T node, ChannelCut cut) => node;
}
