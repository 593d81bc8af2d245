using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Numerics;
using AudioPrune.Pruning.Planning;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune prune MODEL --method M ...: one-shot passive filter pruning and network rebuild.</summary>
internal static class PruneCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var input = CommonOptions.InputShape();
        var json = CommonOptions.JsonOut();
        var seed = CommonOptions.Seed();
        var method = new Option<string?>("--method")
        {
            Description = $"Pruning criterion: {string.Join(", ", CriterionCatalog.Names)} (not needed with --plan-in)",
        };
        var layers = new Option<string?>("--layers") { Description = "Channel groups to prune: group or member names, conv indices or globs, comma-separated (default: every prunable group; `inspect` lists them)" };
        var ratio = new Option<double?>("--ratio") { Description = "Fraction p of each layer's filters to prune; kept = ceil((1-p) F)" };
        var keep = new Option<string?>("--keep") { Description = "Kept filters per selected layer (n,n,...), or one count for all", HelpName = "N,N,..." };
        var matchPlan = new Option<string?>("--match-plan") { Description = "Take the kept counts from this plan.json (equal-count comparisons)", HelpName = "FILE" };
        var planIn = new Option<string?>("--plan-in") { Description = "Re-apply the kept filters of this plan.json", HelpName = "FILE" };
        var representation = new Option<string>("--representation")
        {
            Description = "Similarity prototype: rank1 (the paper) or flatten",
            DefaultValueFactory = _ => "rank1",
        };
        var landmarks = new Option<string>("--landmarks") { Description = "Nystrom landmark count m, or auto (the prototype dimension)", DefaultValueFactory = _ => "auto" };
        var landmarkChoice = new Option<string>("--landmark-choice") { Description = "Nystrom landmarks: first, random or farthest", DefaultValueFactory = _ => "first" };
        var rank = new Option<int?>("--rank") { Description = "Nystrom rank k (default m)" };
        var nystromError = new Option<bool>("--nystrom-error") { Description = "Compute the Nystrom spectral-norm error ||D - D~||_2 per layer" };
        var roundTo = new Option<int?>("--round-to") { Description = "Round kept counts up to a multiple of N (at most the layer width)", HelpName = "N" };
        var outPath = new Option<string>("--out") { Description = "Pruned model to write (.safetensors)", Required = true, HelpName = "FILE" };
        var planOut = new Option<string?>("--plan") { Description = "Write the decision record (plan.json)", HelpName = "FILE" };
        var distances = new Option<bool>("--distances") { Description = "Store the full cosine-distance matrices in the plan (similarity criteria)" };
        var layout = CommonOptions.ConvLayout(
            "Also show the multiply-adds ONNX Runtime executes before and after with convolutions in this layout " +
            "(auto, the default: the one tuned for this CPU, which bench and evaluate --engine onnx run; export writes plain " +
            "unless told otherwise; plain: the MACs themselves, so the line is left out)");
        layout.DefaultValueFactory = _ => "auto";

        var command = new Command("prune", """
            Prune conv filters from the weights alone (passive, one shot) and rebuild the smaller network.
            Examples:
              audioprune prune dcase21 --method similarity --out pruned.safetensors --plan plan.json
              audioprune prune model.safetensors --method l1 --layers conv2 --ratio 0.3 --out l1.safetensors
              audioprune prune model.safetensors --method gm --match-plan plan.json --out gm.safetensors
              audioprune prune vggish --method nystrom --landmarks 9 --nystrom-error --out v.safetensors
              audioprune prune cnn14 --method opnorm --layers 6,7,8,9,10,11 --ratio 0.5 --round-to 8 --out e.safetensors
              audioprune prune dcase21 --method l1 --keep 11,11,22 --conv-layout blocked8 --out c123.safetensors
              audioprune prune model.safetensors --method l1 --ratio 0.5 --out l1.safetensors --json -
            """)
        {
            model, method, layers, ratio, keep, matchPlan, planIn, representation, landmarks, landmarkChoice, rank,
            nystromError, seed, roundTo, input, outPath, planOut, json, distances, layout,
        };
        command.SetAction(parse =>
        {
            var outFile = parse.GetValue(outPath)!;
            if (!outFile.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"--out {outFile}: the pruned model is written as .safetensors");
            var convLayout = ConvolutionLayouts.Parse(parse.GetValue(layout)!);
            var matchFile = parse.GetValue(matchPlan);
            var planInFile = parse.GetValue(planIn);
            var summaryJson = JsonOutput.For(parse, json, output);
            var modelName = parse.GetValue(model)!;
            new CommandPaths().Input("MODEL", modelName).Input("--match-plan", matchFile).Input("--plan-in", planInFile)
                .Output("--out", outFile).Output("--plan", parse.GetValue(planOut)).Output("--json", summaryJson.Target, standardOutput: true).Check();
            var methodName = parse.GetValue(method);
            if (methodName is null && planInFile is null)
                throw new UserInputException($"--method is required: one of {string.Join(", ", CriterionCatalog.Names)} (or --plan-in FILE)");
            var request = new PruningRequest
            {
                Method = methodName ?? "similarity",
                Layers = parse.GetValue(layers),
                Ratio = parse.GetValue(ratio),
                Keep = ParseCounts(parse.GetValue(keep)),
                MatchPlan = matchFile is null ? null : PlanFile.Read(matchFile),
                MatchPlanPath = matchFile,
                PlanIn = planInFile is null ? null : PlanFile.Read(planInFile),
                PlanInPath = planInFile,
                RoundTo = parse.GetValue(roundTo),
                IncludeDistances = parse.GetValue(distances),
                Criterion = new CriterionOptions
                {
                    Representation = ParseEnum<Representation>("--representation", parse.GetValue(representation)!),
                    Landmarks = ParseLandmarks(parse.GetValue(landmarks)!),
                    LandmarkChoice = ParseEnum<LandmarkChoice>("--landmark-choice", parse.GetValue(landmarkChoice)!),
                    Rank = parse.GetValue(rank),
                    Seed = parse.GetValue(seed),
                    NystromError = parse.GetValue(nystromError),
                },
            };
            var source = ModelLoader.Load(modelName, parse.GetValue(input), parse.GetValue(seed));
            var result = PruningPlanner.Run(source.Graph, source.Weights, request);
            var pruned = PrunedModel.Create(source, result);

            var summary = PruneSummary.Of(source.Graph, result, convLayout);
            var written = new List<string>();
            using (var outputs = OutputGroup.Begin())
            {
                if (parse.GetValue(planOut) is { } planFile)
                {
                    PlanFile.Write(planFile, result.Plan);
                    written.Add(planFile);
                }
                pruned.Save(outFile);
                written.Add(outFile);
                if (summaryJson.WriteFile(summary) is { } jsonFile) written.Add(jsonFile);
                outputs.Commit();
            }
            ModelNotes.Write(summaryJson.Human, ModelNotes.Weights(modelName, source));
            PruneSummary.Write(summary, summaryJson.Human);
            foreach (var file in written) summaryJson.Human.WriteLine($"wrote {file}");
            summaryJson.WriteStandardOutput(summary);
            return CliApp.Ok;
        });
        return command;
    }

    private static int[]? ParseCounts(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out counts[i]))
                throw new UserInputException($"--keep '{text}': '{parts[i]}' is not a whole number (expected counts like 11,11,22)");
        }
        return counts;
    }

    private static int? ParseLandmarks(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        return int.TryParse(text, out var m) && m >= 1
            ? m
            : throw new UserInputException($"--landmarks '{text}' must be a positive whole number or 'auto'");
    }

    private static T ParseEnum<T>(string option, string text) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw new UserInputException($"{option} '{text}' must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
}
