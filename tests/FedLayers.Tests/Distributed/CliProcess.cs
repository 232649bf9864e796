using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FedLayers.Tests.Distributed;

/// <summary>The FedLayers command line in a process of its own (the FedLayers.Cli.dll built next to the tests),
/// as a user starts it: what it prints is collected, and it can be killed (SIGKILL) at any moment.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private CliProcess(Process process) => this.process = process;

    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FedLayers.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Everything printed so far, standard output and error interleaved.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the process did not exit within {timeout.TotalSeconds} s; it printed:\n{Output}");
        }
        process.WaitForExit(); // the output is complete only after this
        return process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
                throw new InvalidOperationException($"the process exited ({process.ExitCode}) before printing '{text}'; it printed:\n{Output}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"no '{text}' within {timeout.TotalSeconds} s; the process printed:\n{Output}");
            await Task.Delay(25);
        }
    }

    /// <summary>SIGKILL, as a crash or an operator would: no handler runs.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
