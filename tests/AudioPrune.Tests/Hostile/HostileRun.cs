using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AudioPrune.Common;
using AudioPrune.Tests.Reliability;

namespace AudioPrune.Tests.Hostile;

/// <summary>
/// One hostile case: the real program as a child process on files a test made in a temporary folder. It records
/// the exit code, standard output and error apart, the wall-clock time and the peak resident memory (VmHWM, read
/// from /proc every few milliseconds while the child runs), and a snapshot of every entry of the folder (and of
/// any extra paths) before and after, so a test can prove that nothing but the intended outputs changed.
/// A child that outlives its time limit is killed and the case fails.
/// </summary>
internal sealed class HostileRun
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);
    public const long MemoryLimitBytes = 1_500L * 1024 * 1024;

    public required int ExitCode { get; init; }
    public required string Output { get; init; }
    public required string Error { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required long PeakBytes { get; init; }
    public required IReadOnlyDictionary<string, string> Before { get; init; }
    public required IReadOnlyDictionary<string, string> After { get; init; }
    public required string[] Args { get; init; }

    /// <summary>Runs audioprune ARGS with <paramref name="folder"/> as the working folder, watching <paramref name="extraPaths"/> too.</summary>
    public static HostileRun Start(string folder, string[] args, params string[] extraPaths)
    {
        var before = Snapshot(folder, extraPaths);
        var info = new ProcessStartInfo(ChildCli.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        info.ArgumentList.Add(ChildCli.Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        while (!process.WaitForExit(5))
        {
            peak = Math.Max(peak, PeakResident(process.Id));
            if (clock.Elapsed > TimeLimit + TimeSpan.FromSeconds(5))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                Assert.Fail($"audioprune {string.Join(' ', args)}: still running after {clock.Elapsed.TotalSeconds:F0} s (killed)");
            }
        }
        process.WaitForExit();
        clock.Stop();
        return new HostileRun
        {
            ExitCode = process.ExitCode,
            Output = output.ToString(),
            Error = error.ToString(),
            Elapsed = clock.Elapsed,
            PeakBytes = peak,
            Before = before,
            After = Snapshot(folder, extraPaths),
            Args = args,
        };
    }

    private string Describe => $"audioprune {string.Join(' ', Args)} (exit {ExitCode}, {Elapsed.TotalSeconds:F1} s, {PeakBytes / 1048576} MiB)\nstdout: {Output}\nstderr: {Error}";

    /// <summary>Exit 2 with one line naming the problem (each of <paramref name="mentions"/>), nothing printed on standard output, nothing changed.</summary>
    public HostileRun Refused(params string[] mentions)
    {
        Assert.True(ExitCode == 2, $"expected exit 2: {Describe}");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on standard error: {Describe}");
        Assert.StartsWith("audioprune: error: ", lines[0]);
        foreach (var mention in mentions) Assert.True(lines[0].Contains(mention, StringComparison.Ordinal), $"the error should mention '{mention}': {Describe}");
        return Bounded().Unchanged();
    }

    /// <summary>Exit 0 (a correct result is for the test to check), only <paramref name="outputs"/> (names relative to the folder) changed.</summary>
    public HostileRun Succeeded(params string[] outputs)
    {
        Assert.True(ExitCode == 0, $"expected exit 0: {Describe}");
        return Bounded().Unchanged(outputs);
    }

    /// <summary>Within the time and memory limits.</summary>
    public HostileRun Bounded()
    {
        Assert.True(Elapsed < TimeLimit, $"took {Elapsed.TotalSeconds:F1} s (limit {TimeLimit.TotalSeconds} s): {Describe}");
        Assert.True(PeakBytes < MemoryLimitBytes, $"peak memory {PeakBytes / 1048576} MiB (limit {MemoryLimitBytes / 1048576} MiB): {Describe}");
        return this;
    }

    /// <summary>
    /// Every entry that existed before is the same (type, content, link target), and nothing new appeared but
    /// <paramref name="outputs"/> (a name ending in '/' allows that folder and everything in it).
    /// </summary>
    public HostileRun Unchanged(params string[] outputs)
    {
        bool Allowed(string path) => outputs.Any(o => o == path || o.EndsWith('/') && (path + "/").StartsWith(o, StringComparison.Ordinal));
        foreach (var (path, state) in Before)
        {
            if (Allowed(path)) continue;
            Assert.True(After.TryGetValue(path, out var now), $"{path} disappeared: {Describe}");
            Assert.True(now == state, $"{path} changed from {state} to {now}: {Describe}");
        }
        foreach (var path in After.Keys.Where(p => !Before.ContainsKey(p) && !Allowed(p)))
            Assert.Fail($"{path} appeared ({After[path]}): {Describe}");
        return this;
    }

    /// <summary>Entry -> its type and content hash (regular files), link target (links) or type (anything else); links are not followed.</summary>
    private static Dictionary<string, string> Snapshot(string folder, string[] extraPaths)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(current))
            {
                var kind = FileEntry.KindOf(entry, followLinks: false);
                entries[Path.GetRelativePath(folder, entry)] = State(entry, kind);
                if (kind == FileKind.Directory) pending.Push(entry);
            }
        }
        foreach (var extra in extraPaths) entries[extra] = State(extra, FileEntry.KindOf(extra, followLinks: false));
        return entries;
    }

    private static string State(string path, FileKind kind) => kind switch
    {
        FileKind.Regular => "file " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))),
        FileKind.SymbolicLink => "link -> " + new FileInfo(path).LinkTarget,
        _ => kind.ToString(),
    };

    private static long PeakResident(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
