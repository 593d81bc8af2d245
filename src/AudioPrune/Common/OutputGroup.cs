namespace AudioPrune.Common;

/// <summary>
/// Makes a command's outputs all-or-nothing: while a group is open (on this thread of work), every
/// <see cref="AtomicFile"/> write is finished in its temporary file but not renamed; <see cref="Commit"/> renames them
/// all, and disposing a group that was not committed (an error, a cancellation) deletes them, so no output appears.
/// <code>
/// using (var outputs = OutputGroup.Begin())
/// {
///     PlanFile.Write(planPath, plan);
///     model.Save(modelPath);
///     outputs.Commit();
/// }
/// </code>
/// </summary>
internal sealed class OutputGroup : IDisposable
{
    private static readonly AsyncLocal<OutputGroup?> Open = new();
    private readonly List<(string Temporary, string Target, string Path)> staged = [];
    private readonly OutputGroup? outer;
    private bool finished;

    private OutputGroup(OutputGroup? outer) => this.outer = outer;

    /// <summary>The group writes join now, or null when they are renamed at once.</summary>
    internal static OutputGroup? Current => Open.Value;

    public static OutputGroup Begin()
    {
        var group = new OutputGroup(Open.Value);
        Open.Value = group;
        return group;
    }

    internal void Stage(string temporary, string target, string path)
    {
        if (staged.Any(s => s.Target == target))
            throw UserInputException.InFile(path, "is written twice by this command; give each output its own file");
        staged.Add((temporary, target, path));
    }

    /// <summary>Renames every staged file over its target, in the order they were written.</summary>
    public void Commit()
    {
        Close();
        foreach (var (temporary, target, path) in staged) AtomicFile.Rename(temporary, target, path);
        staged.Clear();
    }

    public void Dispose()
    {
        if (!finished) Close();
        foreach (var (temporary, _, _) in staged)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        staged.Clear();
    }

    private void Close()
    {
        finished = true;
        Open.Value = outer;
    }
}
