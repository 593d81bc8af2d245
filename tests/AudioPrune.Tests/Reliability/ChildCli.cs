using System.Diagnostics;
using System.Text;

namespace AudioPrune.Tests.Reliability;

/// <summary>
/// The real program as a child process: `dotnet audioprune.dll ARGS`, with the CLI assembly found next to the
/// test assembly (the test project references the CLI). Output is collected asynchronously so the child never
/// blocks on a full pipe.
/// </summary>
internal sealed class ChildCli : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildCli(Process process) => this.process = process;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "audioprune.dll");

    public static ChildCli Start(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var child = new ChildCli(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit(); // drains the asynchronous output readers
        return true;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed, exactly like a crash or an out-of-memory kill.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>The dotnet host running the tests (the same runtime), or "dotnet" from PATH.</summary>
    public static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
