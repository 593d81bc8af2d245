using System.CommandLine;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune inspect MODEL: per-layer shapes, parameters, MACs and memory.</summary>
public static class InspectCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var input = CommonOptions.InputShape();
        var json = CommonOptions.JsonOut();
        var command = new Command("inspect", """
            Show a network layer by layer: output shape, parameters, MACs, activation bytes, and totals.
            Examples:
              audioprune inspect dcase21
              audioprune inspect vggish --json vggish.json
              audioprune inspect cnn14 --input 1x501x64
              audioprune inspect pruned.safetensors
            """) { model, input, json };
        command.SetAction(parse =>
        {
            var jsonPath = parse.GetValue(json);
            var graph = ModelLoader.LoadGraph(parse.GetValue(model)!, parse.GetValue(input));
            var report = ComplexityReport.Of(graph);
            ComplexityTable.Write(report, output);
            if (jsonPath is not null)
            {
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(ComplexityJson.From(report), ReportJson.Options));
                output.WriteLine($"wrote {jsonPath}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
