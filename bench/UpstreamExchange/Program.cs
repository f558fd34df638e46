using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;

// The forwarding exchange alone, without the server around it: QUESTIONS questions, IN-FLIGHT at a time, through
// UpstreamResolver (the pool, its attempt race and the wire exchange) to an upstream on loopback that answers every
// query at once with a header-only reply. The upstream runs in a child process, so the CPU time printed (this
// process's, per question) is the exchange's own. Compare builds in the same harness, on the same machine, in turn.
if (args is ["upstream", var portText])
{
    ServeUpstream(int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

// --inline-completions: set DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 from here, before the first socket, to see
// whether the runtime reads it late enough for a program to set it for itself.
if (args.Contains("--inline-completions"))
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    args = [.. args.Where(arg => arg != "--inline-completions")];
}

var questions = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
var inFlight = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;

var port = FreeUdpPort();
using var upstream = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["upstream", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
try
{
    await using var resolver = new UpstreamResolver(new UpstreamOptions { Servers = [new IPEndPoint(IPAddress.Loopback, port)] });
    var flags = new UpstreamRequestFlags(RecursionDesired: true, DnssecOk: false);
    var names = Enumerable.Range(0, 1000).Select(i => DomainName.Parse($"host{i}.bench.example")).ToArray();

    // Warm up: the upstream starting, the JIT's tiers.
    await RunAsync(resolver, names, flags, 20_000, inFlight);
    var self = Process.GetCurrentProcess();
    self.Refresh();
    var cpuBefore = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var (failures, onSocketThread) = await RunAsync(resolver, names, flags, questions, inFlight);
    clock.Stop();
    self.Refresh();
    var cpu = self.TotalProcessorTime - cpuBefore;
    Console.WriteLine(
        $"{questions} questions, {inFlight} in flight: {cpu.TotalMicroseconds / questions:0.0} µs CPU per question, " +
        $"{questions / clock.Elapsed.TotalSeconds:0} per second, {failures} failed, " +
        $"{100.0 * onSocketThread / questions:0}% of answers continued on the runtime's socket (epoll) thread");
    return 0;
}
finally
{
    upstream.Kill();
}

static async Task<(int Failures, int OnSocketThread)> RunAsync(UpstreamResolver resolver, DomainName[] names, UpstreamRequestFlags flags, int questions, int inFlight)
{
    var next = -1;
    var failures = 0;
    var onSocketThread = 0;
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < questions)
        {
            try
            {
                await resolver.ResolveAsync(new DnsQuestion(names[i % names.Length], RecordType.A, RecordClass.INet), flags, CancellationToken.None);
                if (Thread.CurrentThread.Name == ".NET Sockets")
                {
                    Interlocked.Increment(ref onSocketThread);
                }
            }
            catch (UpstreamException)
            {
                Interlocked.Increment(ref failures);
            }
        }
    })));
    return (failures, onSocketThread);
}

static void ServeUpstream(int port)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.ReceiveBufferSize = 4 << 20;
    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
    var buffer = new byte[4096];
    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
    while (true)
    {
        var length = socket.ReceiveFrom(buffer, ref from);
        if (length < 12)
        {
            continue;
        }

        // The query echoed as its own answer: QR and RA set, the question kept, no records (the OPT record dropped).
        buffer[2] |= 0x80;
        buffer[3] = 0x80;
        buffer[10] = 0;
        buffer[11] = 0;
        var end = 12;
        while (buffer[end] != 0)
        {
            end += 1 + buffer[end];
        }

        socket.SendTo(buffer.AsSpan(0, end + 5), SocketFlags.None, from);
    }
}

static int FreeUdpPort()
{
    using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)probe.LocalEndPoint!).Port;
}
