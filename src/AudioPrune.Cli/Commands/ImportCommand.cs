using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune import FILE --out M.safetensors [--graph G]: a model from Keras .h5, ONNX or PyTorch-named weights.</summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("FILE") { Description = "A Keras .h5 model, an ONNX model (e.g. exported by PyTorch), a PyTorch state_dict (.pt/.pth) or a plain .safetensors file of PyTorch-named tensors" };
        var graphOption = new Option<string?>("--graph")
        {
            Description = "The architecture for a weights-only file: a zoo name (dcase21, ...), a graph .json, or an AudioPrune model",
            HelpName = "GRAPH",
        };
        var outOption = new Option<string>("--out") { Description = "The AudioPrune model to write (.safetensors)", Required = true, HelpName = "FILE" };
        var input = CommonOptions.InputShape();
        var stripPrefix = new Option<string?>("--strip-prefix")
        {
            Description = "Remove this prefix from every tensor name first (e.g. 'module.' of a DataParallel state_dict)",
            HelpName = "PREFIX",
        };
        var classes = new Option<int?>("--classes") { Description = "Number of classes of a zoo graph (default: the zoo's)" };
        var command = new Command("import", """
            Make an AudioPrune model from another tool's file.
            Keras .h5 models (Sequential or functional CNNs) and ONNX models (CNNs exported by torch.onnx.export with a
            dynamic batch axis) carry their own architecture; PyTorch state_dicts
            and plain safetensors need --graph, and every missing, unexpected or mis-shaped tensor is reported.
            Examples:
              audioprune import C123_best_model_dcase2021.h5 --out c123.safetensors
              audioprune import resnet.onnx --out resnet.safetensors
              audioprune import weights.pt --graph dcase21 --out model.safetensors
              audioprune import weights.safetensors --graph pruned-graph.json --out model.safetensors
            """) { file, graphOption, outOption, input, classes, stripPrefix };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(file)!;
            var target = parse.GetValue(outOption)!;
            if (!target.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"--out {target}: the model file must end in .safetensors");
            var graph = parse.GetValue(graphOption);
            new CommandPaths().Input("FILE", source).Input("--graph", graph).Output("--out", target).Check();
            var model = Import(source, graph, parse.GetValue(input), parse.GetValue(classes), parse.GetValue(stripPrefix));
            model.Save(target);
            var report = ComplexityReport.Of(model.Graph);
            output.WriteLine($"imported {Path.GetFileName(source)}: {model.Graph.Nodes.Count} layers, {model.Weights.Count} tensors, " +
                $"{report.ParamsTotal:N0} parameters, input {model.Graph.Input}, output {model.Graph.OutputShape}");
            output.WriteLine($"wrote {target}");
            return CliApp.Ok;
        });
        return command;
    }

    private static ModelArtifact Import(string source, string? graph, Shape? input, int? classes, string? stripPrefix)
    {
        var extension = Path.GetExtension(source).ToLowerInvariant();
        if (extension is ".h5" or ".hdf5" or ".onnx")
        {
            if (graph is not null || stripPrefix is not null)
                throw new UserInputException($"{source}: a {(extension == ".onnx" ? "ONNX" : "Keras")} model carries its own architecture and names; drop --graph and --strip-prefix");
            return ModelLoader.Load(source, input);
        }
        if (!StateDictImporter.Extensions.Contains(extension))
            throw UserInputException.InFile(source, $"cannot import '{extension}' files (expected .h5, .onnx, {string.Join(", ", StateDictImporter.Extensions)})");
        if (graph is null)
            throw UserInputException.InFile(source, "weights without an architecture: add --graph with a zoo name (e.g. dcase21) or a graph .json file");
        return StateDictImporter.Import(source, GraphSource.Resolve(graph, input, classes), stripPrefix);
    }
}
