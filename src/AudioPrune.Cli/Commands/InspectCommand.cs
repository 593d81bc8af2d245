using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune inspect MODEL: per-layer shapes, parameters, MACs and memory, then the channel groups.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var input = CommonOptions.InputShape();
        var json = CommonOptions.JsonOut();
        var layout = CommonOptions.ConvLayout(
            "Add the multiply-adds ONNX Runtime executes per layer with its convolutions in this layout " +
            "(the export's --conv-layout; auto: this CPU's)");
        var command = new Command("inspect", """
            Show a network layer by layer: output shape, parameters, MACs, activation bytes, and totals;
            then its channel groups (channels that must be pruned together) and whether each can be pruned.
            Examples:
              audioprune inspect dcase21
              audioprune inspect vggish --json vggish.json
              audioprune inspect dcase21 --json -
              audioprune inspect cnn14 --input 1x501x64
              audioprune inspect pruned.safetensors --conv-layout auto
            """) { model, input, json, layout };
        command.SetAction(parse =>
        {
            var result = JsonOutput.For(parse, json, output);
            new CommandPaths().Input("MODEL", parse.GetValue(model)).Output("--json", result.Target, standardOutput: true).Check();
            var graph = ModelLoader.LoadGraph(parse.GetValue(model)!, parse.GetValue(input));
            var report = ComplexityReport.Of(graph);
            var executed = parse.GetValue(layout) is { } layoutName ? ExecutedColumn(graph, ConvolutionLayouts.Parse(layoutName)) : null;
            ComplexityTable.Write(report, result.Human, executed);
            var groups = ChannelGroupReport.Of(ChannelDependency.Analyse(graph));
            ChannelGroupReport.Write(groups, result.Human);
            result.Write(ComplexityJson.From(report, executed, groups));
            return CliApp.Ok;
        });
        return command;
    }

    private static ExecutedMacsColumn ExecutedColumn(NetworkGraph graph, ConvolutionLayout layout) =>
        new(ConvolutionLayouts.Name(layout), OnnxExecutedMacs.PerNode(graph, layout));
}
