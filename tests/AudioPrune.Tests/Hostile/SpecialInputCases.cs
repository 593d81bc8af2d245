using System.Diagnostics;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: special files given where a regular file is read (FIFOs, devices, folders, dangling links).</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SpecialInputCases
{
    [Fact]
    public void AFifoAsModelIsRefusedWithoutBlocking()
    {
        using var dir = new TempDirectory();
        HostileFiles.MakeFifo(dir.File("model.safetensors"));
        HostileRun.Start(dir.Path, ["inspect", "model.safetensors"]).Refused("model.safetensors", "FIFO");
    }
}

/// <summary>Makes the special files the hostile cases need.</summary>
[Trait("Category", "Slow")]
public static class HostileFiles
{
    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>A Unix socket bound at <paramref name="path"/>; the socket file exists until the returned socket is disposed.</summary>
    public static IDisposable MakeSocket(string path)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>A character device: a copy of /dev/null (mknod, as root), or a link to /dev/null where mknod is not allowed.</summary>
    public static void MakeNullDevice(string path)
    {
        if (Environment.UserName == "root") Run("mknod", path, "c", "1", "3");
        else File.CreateSymbolicLink(path, "/dev/null");
    }

    public static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {error}");
    }
}
