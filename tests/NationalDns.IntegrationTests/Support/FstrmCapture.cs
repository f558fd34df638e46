using System.Diagnostics;
using System.Net;
using NationalDns.Server.Dnstap;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// The reference dnstap collector: <c>fstrm_capture</c> (Debian's fstrm-bin) in the foreground, taking
/// <c>protobuf:dnstap.Dnstap</c> on a Unix socket or a loopback TCP port and writing a Frame Streams file in its
/// temporary folder, read back with BIND's <c>dnstap-read</c>. fstrm_capture buffers that file until it exits.
/// </summary>
internal sealed class FstrmCapture : IAsyncDisposable
{
    public const string Binary = "/usr/bin/fstrm_capture";
    public const string Package = "fstrm-bin";
    public const string Reader = "/usr/bin/dnstap-read";
    public const string ReaderPackage = "bind9-dnsutils";

    private readonly DaemonProcess _process;

    private FstrmCapture(DaemonProcess process, DnstapTarget target)
    {
        _process = process;
        Target = target;
    }

    /// <summary>Where the server should send (<c>--dnstap</c>).</summary>
    public DnstapTarget Target { get; }

    /// <summary>What fstrm_capture printed so far.</summary>
    public string Output => _process.Output;

    private string File => Path.Combine(_process.Directory, "dnstap.fstrm");

    public static FstrmCapture OnUnixSocket()
    {
        var process = DaemonProcess.StartIn(Binary, new IPEndPoint(IPAddress.Loopback, 0), "-t", DnstapOptions.ContentType, "-u", "{dir}/dnstap.sock", "-w", "{dir}/dnstap.fstrm");
        return new FstrmCapture(process, DnstapTarget.Unix(Path.Combine(process.Directory, "dnstap.sock")));
    }

    public static FstrmCapture OnTcp(int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var process = DaemonProcess.StartIn(Binary, endPoint, "-t", DnstapOptions.ContentType, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", "{dir}/dnstap.fstrm");
        return new FstrmCapture(process, DnstapTarget.Tcp(endPoint));
    }

    /// <summary>Stops fstrm_capture (SIGTERM, so it writes its file out) and returns the file as <c>dnstap-read -y</c> prints it.</summary>
    public async Task<string> StopAndReadAsync()
    {
        await _process.TerminateAsync();
        var start = new ProcessStartInfo(Reader) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-y");
        start.ArgumentList.Add(File);
        using var read = Process.Start(start)!;
        var output = read.StandardOutput.ReadToEndAsync();
        var error = read.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await read.WaitForExitAsync(timeout.Token);
        return read.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"dnstap-read -y exited {read.ExitCode}: {await error}\nfstrm_capture: {Output}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
