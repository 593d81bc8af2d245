using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune export MODEL --pytorch/--safetensors/--graph-json: a model in other tools' formats.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var input = CommonOptions.InputShape();
        var pytorch = new Option<string?>("--pytorch") { Description = "Write a PyTorch state_dict (torch.load-able .pt)", HelpName = "FILE" };
        var safetensors = new Option<string?>("--safetensors") { Description = "Write the weights as plain safetensors (state_dict names, no AudioPrune metadata)", HelpName = "FILE" };
        var graphJson = new Option<string?>("--graph-json") { Description = "Write the architecture as a graph JSON file", HelpName = "FILE" };
        var onnx = new Option<string?>("--onnx") { Description = "Write an ONNX model (dynamic batch axis; labels and front end in its metadata)", HelpName = "FILE" };
        var opset = new Option<int>("--opset")
        {
            Description = $"ONNX opset ({OnnxExportOptions.MinOpset}-{OnnxExportOptions.MaxOpset})",
            DefaultValueFactory = _ => OnnxExportOptions.DefaultOpset,
        };
        var foldBn = new Option<bool>("--fold-bn") { Description = "Fold each batch norm into the convolution before it (ONNX only)" };
        var layout = CommonOptions.ConvLayout(
            "Convolutions as one plain Conv node per layer (plain, the default: runs alike on any runtime and CPU) or " +
            "rewritten, exactly, for ONNX Runtime's blocked CPU kernels with 8- or 16-channel blocks (blocked8: AVX2, " +
            "blocked16: AVX-512; auto: this CPU's, as bench and evaluate --engine onnx run): faster there, shaped for that CPU");
        layout.DefaultValueFactory = _ => "plain";
        var noSoftmax = new Option<bool>("--no-softmax") { Description = "Leave out the final softmax/sigmoid so the ONNX model outputs logits" };
        var command = new Command("export", """
            Write a model (pruned or not) for other tools. Give one or more outputs.
            The ONNX file is portable (one Conv node per conv layer) unless --conv-layout asks for a tuned layout.
            Examples:
              audioprune export pruned.safetensors --onnx pruned.onnx --fold-bn
              audioprune export dcase21 --onnx dcase21.onnx --opset 18 --no-softmax
              audioprune export pruned.safetensors --onnx pruned-tuned.onnx --fold-bn --conv-layout auto
              audioprune export cnn14 --input 1x501x64 --onnx cnn14-5s.onnx
              audioprune export pruned.safetensors --pytorch pruned.pt --graph-json pruned-graph.json
              audioprune export C123_best_model_dcase2021.h5 --safetensors c123-weights.safetensors
            """) { model, input, pytorch, safetensors, graphJson, onnx, opset, foldBn, layout, noSoftmax };
        command.SetAction(parse =>
        {
            var targets = new[] { parse.GetValue(pytorch), parse.GetValue(safetensors), parse.GetValue(graphJson), parse.GetValue(onnx) };
            if (targets.All(t => t is null)) throw new UserInputException("export: name at least one output (--onnx, --pytorch, --safetensors or --graph-json)");
            var layoutGiven = parse.GetResult(layout) is { Implicit: false };
            if (parse.GetValue(onnx) is null && (parse.GetValue(foldBn) || parse.GetValue(noSoftmax) || layoutGiven))
                throw new UserInputException("export: --fold-bn, --conv-layout and --no-softmax apply to --onnx only");
            var onnxOptions = new OnnxExportOptions(parse.GetValue(opset), parse.GetValue(foldBn), !parse.GetValue(noSoftmax),
                ConvolutionLayouts.Parse(parse.GetValue(layout)!)).Validated();
            var modelName = parse.GetValue(model)!;
            new CommandPaths().Input("MODEL", modelName).Output("--onnx", parse.GetValue(onnx)).Output("--pytorch", parse.GetValue(pytorch))
                .Output("--safetensors", parse.GetValue(safetensors)).Output("--graph-json", parse.GetValue(graphJson)).Check();
            var artifact = ModelLoader.Load(modelName, parse.GetValue(input));
            var written = new List<string>();
            using (var outputs = OutputGroup.Begin())
            {
                if (parse.GetValue(onnx) is { } onnxPath)
                {
                    OnnxExporter.Write(artifact, onnxPath, onnxOptions);
                    written.Add($"wrote {onnxPath} ({Described(onnxOptions)})");
                }
                if (parse.GetValue(pytorch) is { } pt)
                {
                    StateDictExporter.WritePyTorch(artifact, pt);
                    written.Add($"wrote {pt} (PyTorch state_dict, {artifact.Weights.Count} tensors)");
                }
                if (parse.GetValue(safetensors) is { } st)
                {
                    StateDictExporter.WriteSafetensors(artifact, st);
                    written.Add($"wrote {st} (safetensors, {artifact.Weights.Count} tensors)");
                }
                if (parse.GetValue(graphJson) is { } gj)
                {
                    StateDictExporter.WriteGraphJson(artifact, gj);
                    written.Add($"wrote {gj} (graph JSON)");
                }
                outputs.Commit();
            }
            ModelNotes.Write(output, ModelNotes.Weights(modelName, artifact));
            foreach (var line in written) output.WriteLine(line);
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>What was written, the layout's purpose included, so that a tuned file is never taken for a portable one.</summary>
    private static string Described(OnnxExportOptions o) =>
        $"ONNX opset {o.Opset}{(o.FoldBatchNorm ? ", batch norm folded" : "")}{(o.IncludeProbabilityHead ? "" : ", logits")}, " +
        $"conv layout {ConvolutionLayouts.Name(o.ConvolutionLayout)}, {o.ConvolutionLayout.Purpose()}";
}
