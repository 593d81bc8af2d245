using AudioPrune.Graph;

namespace AudioPrune.Pruning.Dependency.Rules;

/// <summary>
/// A node whose output channel c is its single input's channel c and that has no per-channel parameters
/// (pooling, global pooling, dropout): one rule class, registered once per such node type.
/// </summary>
internal sealed class PassThroughRule<T> : ChannelRule<T> where T : Node
{
    protected override void Couple(T node, ChannelCoupling coupling) => coupling.TieAll(node.Inputs[0], node.Name);
}
