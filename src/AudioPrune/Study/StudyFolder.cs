using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Reports;

namespace AudioPrune.Study;

/// <summary>
/// The layout of a study's output folder: data/ (generated datasets), jobs/ID/ (one folder per job, finished when
/// it holds result.json), results.json, report.md and plots/.
/// </summary>
internal sealed class StudyFolder(string root)
{
    public const string ResultFile = "result.json";

    public string Root { get; } = Path.GetFullPath(root);
    public string Data => Path.Combine(Root, "data");
    public string Plots => Path.Combine(Root, "plots");
    public string Results => Path.Combine(Root, "results.json");
    public string Report => Path.Combine(Root, "report.md");
    public string Lock => Path.Combine(Root, ".study.lock");

    public string Job(string id) => Path.Combine(Root, "jobs", id);

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    public JobResult? Finished(string id)
    {
        var path = Path.Combine(Job(id), ResultFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<JobResult>(InputFile.ReadAllText(path, InputLimits.MaxJobResultBytes, "job result"), ReportJson.Options);
        }
        catch (JsonException e)
        {
            throw UserInputException.InFile(path, $"not a job result ({e.Message}); delete the job folder to run it again");
        }
    }

    public void Finish(JobResult result) =>
        AtomicFile.WriteAllText(Path.Combine(Job(result.Id), ResultFile), JsonSerializer.Serialize(result, ReportJson.Options));

    /// <summary>Every finished job's result, in folder order.</summary>
    public IReadOnlyList<JobResult> AllFinished()
    {
        var jobs = Path.Combine(Root, "jobs");
        if (!Directory.Exists(jobs)) return [];
        return Directory.GetDirectories(jobs).Order(StringComparer.Ordinal)
            .Select(d => Finished(Path.GetFileName(d))).OfType<JobResult>().ToArray();
    }
}
