using AudioPrune.Common;
namespace AudioPrune.Cli;

/// <summary>
/// The files a command reads and writes, checked together before any work starts: an output that is one of the
/// inputs (by any path: symbolic links and hard links included), an existing file inside an input folder (a dataset),
/// two outputs that are one file, and an output that exists but is not a regular file (a folder, a device, a FIFO,
/// a socket) are refused with one line naming both sides. Nothing has been read or written at that point.
/// <code>
/// new CommandPaths().Input("MODEL", model).Output("--out", outFile).Output("--plan", planFile).Check();
/// </code>
/// </summary>
internal sealed class CommandPaths
{
    /// <summary>The name that sends a --json result to standard output instead of a file.</summary>
    public const string StandardOutput = "-";

    private readonly List<(string Role, string Path)> inputs = [];
    private readonly List<(string Role, string Path)> outputs = [];
    private readonly List<(string Role, string Path)> outputFolders = [];

    /// <summary>A file or folder the command reads; <paramref name="role"/> is how the user gave it ("MODEL", "--plan-in"). Null is ignored, and so is a name that is not a path (a zoo name).</summary>
    public CommandPaths Input(string role, string? path)
    {
        if (path is not null && FileEntry.KindOf(path) != FileKind.Missing) inputs.Add((role, path));
        return this;
    }

    /// <summary>
    /// A file the command writes (null is ignored). "-" is standard output where <paramref name="standardOutput"/>
    /// allows it (--json), which needs no check; elsewhere it is refused, so no file named "-" appears by accident.
    /// </summary>
    public CommandPaths Output(string role, string? path, bool standardOutput = false)
    {
        if (path == StandardOutput && standardOutput) return this;
        if (path == StandardOutput) throw new UserInputException($"{role} -: standard output is only for --json; give a file name");
        if (path is not null) outputs.Add((role, path));
        return this;
    }

    /// <summary>A folder the command writes into (a study, a run folder, a cache): it must not be an input or a file.</summary>
    public CommandPaths OutputFolder(string role, string? path)
    {
        if (path is not null) outputFolders.Add((role, path));
        return this;
    }

    public void Check()
    {
        var readFiles = inputs.Select(i => (i.Role, i.Path, Real: FileEntry.RealPath(i.Path), Identity: FileEntry.IdentityOf(i.Path),
            Folder: FileEntry.KindOf(i.Path) == FileKind.Directory)).ToList();
        var written = new List<(string Role, string Path, string Real)>();
        foreach (var (role, path) in outputs)
        {
            AtomicFile.WritableTarget(path);
            var real = FileEntry.RealPath(path);
            var identity = FileEntry.IdentityOf(path);
            foreach (var input in readFiles)
            {
                if (!input.Folder && (real == input.Real || identity is not null && identity == input.Identity))
                    throw UserInputException.InFile(path, $"{role} is the same file as {Name(input.Role, input.Path)}; writing it would destroy the input, so choose another file");
                if (input.Folder && identity is not null && FileEntry.IsInside(input.Real, real))
                    throw UserInputException.InFile(path, $"{role} would replace a file inside {Name(input.Role, input.Path)}, which this command reads; choose a file elsewhere");
            }
            if (written.FirstOrDefault(w => w.Real == real) is { Role: not null } twice)
                throw UserInputException.InFile(path, $"{role} and {twice.Role} name the same file; give each output its own file");
            written.Add((role, path, real));
        }
        foreach (var (role, path) in outputFolders) CheckFolder(role, path, readFiles.Select(i => (i.Role, i.Path, i.Real, i.Folder)));
    }

    private static void CheckFolder(string role, string path, IEnumerable<(string Role, string Path, string Real, bool Folder)> readFiles)
    {
        var kind = FileEntry.KindOf(path);
        if (kind is not (FileKind.Directory or FileKind.Missing))
            throw UserInputException.InFile(path, $"{role} is {FileEntry.Describe(kind)}, not a folder");
        var real = FileEntry.RealPath(path);
        foreach (var input in readFiles)
        {
            if (real == input.Real)
                throw UserInputException.InFile(path, $"{role} is {Name(input.Role, input.Path)} itself, which this command reads; choose another folder");
        }
    }

    private static string Name(string role, string path) => role == path ? path : $"{role} {path}";

}
