using AudioPrune.Cli;
using System.CommandLine;
using System.Globalization;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
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
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line in output order (default: the graph's, or class0, class1, ...)", HelpName = "FILE" };
        var bnEps = new Option<double?>("--bn-eps")
        {
            Description = $"Batch-norm eps for a state_dict, which does not store it (default: the graph's; PyTorch's own is {PyTorchEps})",
            HelpName = "X",
        };
        var command = new Command("import", """
            Make an AudioPrune model from another tool's file.
            Keras .h5 models (Sequential or functional CNNs) and ONNX models (CNNs exported by torch.onnx.export with a
            dynamic batch axis) carry their own architecture; PyTorch state_dicts
            and plain safetensors need --graph, and every missing, unexpected or mis-shaped tensor is reported.
            A state_dict carries no batch-norm eps: the graph's is used (with a note when it is not PyTorch's 1e-5)
            unless --bn-eps sets it.
            Examples:
              audioprune import C123_best_model_dcase2021.h5 --out c123.safetensors
              audioprune import resnet.onnx --labels classes.txt --out resnet.safetensors
              audioprune import weights.pt --graph dcase21 --out model.safetensors
              audioprune import weights.pt --graph dcase21 --bn-eps 1e-5 --out model.safetensors
              audioprune import weights.safetensors --graph pruned-graph.json --out model.safetensors
            """) { file, graphOption, outOption, input, classes, stripPrefix, labels, bnEps };
        command.SetAction(parse =>
        {
            var request = new Request(parse.GetValue(file)!, parse.GetValue(graphOption), parse.GetValue(input), parse.GetValue(classes),
                parse.GetValue(stripPrefix), parse.GetValue(bnEps));
            var target = parse.GetValue(outOption)!;
            var labelsFile = parse.GetValue(labels);
            if (!target.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"--out {target}: the model file must end in .safetensors");
            if (request.BatchNormEpsilon is { } eps && !(double.IsFinite(eps) && eps > 0))
                throw new UserInputException($"--bn-eps {Number(eps)}: the eps must be a finite number above 0");
            new CommandPaths().Input("FILE", request.Source).Input("--graph", request.Graph).Input("--labels", labelsFile).Output("--out", target).Check();
            var model = Import(request);
            if (labelsFile is not null) model = model with { Labels = LabelsFile.Read(labelsFile, model.Graph.OutputShape[0]) };
            model.Save(target);
            var report = ComplexityReport.Of(model.Graph);
            output.WriteLine($"imported {Path.GetFileName(request.Source)}: {model.Graph.Nodes.Count} layers, {model.Weights.Count} tensors, " +
                $"{report.ParamsTotal:N0} parameters, input {model.Graph.Input}, output {model.Graph.OutputShape}");
            if (request.IsStateDict && request.BatchNormEpsilon is null && EpsilonNote(model.Graph) is { } note) output.WriteLine(note);
            output.WriteLine($"wrote {target}");
            return CliApp.Ok;
        });
        return command;
    }

    private static readonly string PyTorchEps = Number(StateDictImporter.PyTorchBatchNormEpsilon);

    /// <summary>An eps as PyTorch prints it (1e-05, 0.001), so that it can be pasted back as --bn-eps.</summary>
    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture).ToLowerInvariant();

    /// <summary>What import reads: the file and the settings that shape how it becomes a model.</summary>
    private sealed record Request(string Source, string? Graph, Shape? Input, int? Classes, string? StripPrefix, double? BatchNormEpsilon)
    {
        public string Extension => Path.GetExtension(Source).ToLowerInvariant();

        public bool IsStateDict => StateDictImporter.Extensions.Contains(Extension);
    }

    private static ModelArtifact Import(Request r)
    {
        if (r.Extension is ".h5" or ".hdf5" or ".onnx")
        {
            if (r.Graph is not null || r.StripPrefix is not null || r.BatchNormEpsilon is not null)
                throw new UserInputException($"{r.Source}: a {(r.Extension == ".onnx" ? "ONNX" : "Keras")} model carries its own architecture, names and batch-norm eps; drop --graph, --strip-prefix and --bn-eps");
            return ModelLoader.Load(r.Source, r.Input);
        }
        if (!r.IsStateDict)
            throw UserInputException.InFile(r.Source, $"cannot import '{r.Extension}' files (expected .h5, .onnx, {string.Join(", ", StateDictImporter.Extensions)})");
        if (r.Graph is null)
            throw UserInputException.InFile(r.Source, "weights without an architecture: add --graph with a zoo name (e.g. dcase21) or a graph .json file");
        return StateDictImporter.Import(r.Source, GraphSource.Resolve(r.Graph, r.Input, r.Classes), r.StripPrefix, r.BatchNormEpsilon);
    }

    /// <summary>The note for batch norms given the graph's eps where that is not PyTorch's default, which the state_dict cannot confirm.</summary>
    private static string? EpsilonNote(NetworkGraph graph)
    {
        var used = graph.NodesOf<BatchNormNode>().Select(b => b.Epsilon).Distinct().ToArray();
        if (used.All(e => e == StateDictImporter.PyTorchBatchNormEpsilon)) return null;
        var named = string.Join(", ", used.Select(Number));
        return $"note: a state_dict does not store batch-norm eps; used the graph's {named} (PyTorch's default is {PyTorchEps}); " +
               $"if the network was trained with PyTorch's default, import again with --bn-eps {PyTorchEps}";
    }
}
