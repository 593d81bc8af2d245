using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Dependency.Rules;

namespace AudioPrune.Pruning.Dependency;

/// <summary>
/// The channel rules by node type: the one place that knows how each op couples channels and how it is cut.
/// Supporting a new node type is one <see cref="IChannelRule"/> class given to <see cref="With"/> (or added to
/// <see cref="Default"/>); until then the <see cref="UnsupportedRule"/> keeps every group that reaches it whole.
/// </summary>
internal sealed class ChannelRules
{
    private static readonly IChannelRule Unsupported = new UnsupportedRule();
    private readonly Dictionary<Type, IChannelRule> byType;

    public ChannelRules(IEnumerable<IChannelRule> rules) => byType = rules.ToDictionary(r => r.NodeType);

    public static ChannelRules Default { get; } = new(
    [
        new ConvRule(), new BatchNormRule(), new ActivationRule(), new AddRule(), new ConcatRule(), new FlattenRule(),
        new LinearRule(), new MulRule(), new ChannelSliceRule(), new PassThroughRule<Pool2dNode>(), new PassThroughRule<GlobalPoolNode>(),
        new PassThroughRule<DropoutNode>(),
    ]);

    /// <summary>These rules plus (or with a replaced) rule for one node type.</summary>
    public ChannelRules With(IChannelRule rule) => new(byType.Values.Where(r => r.NodeType != rule.NodeType).Append(rule));

    public IChannelRule For(Node node) => byType.GetValueOrDefault(node.GetType(), Unsupported);
}
