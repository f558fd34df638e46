using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NationalDns.Configuration;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.QueryLog;
using NationalDns.Hosting;
using Serilog;
using Serilog.Extensions.Logging;

// What one logged refusal costs besides answering it: N blocked-query events (default 1,000,000), each for a different
// rule of a million-rule list as in bench/ workload a, pushed through the path the fast path's events take in the server:
// QueryCapture -> QueryLogWriter (entries, RecentQueries) -> RefusalLogWriter -> Serilog's real sinks, console or
// --log-file, as configured by the server (NationalDnsHost.ConfigureLogging). stdout is the console log: send it to a
// file or /dev/null. Usage: [N] [mode] [rounds] (rounds: 5, the median reported). Modes: console (default), file (console and --log-file), warning (no refusal events), events
// (refusal events built, no sink), mel (as events, through Microsoft.Extensions.Logging). Prints CPU µs and bytes allocated per event, over every thread of the process, and the share of
// the serving side (filling the ring) measured on its own.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var mode = args.Length > 1 ? args[1] : "console";
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var logFile = Path.Combine(Path.GetTempPath(), $"nationaldns-logcost-{Environment.ProcessId}.log");
var settings = new NationalDnsSettings
{
    LogLevel = mode == "warning" ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Information,
    LogFile = mode == "file" ? logFile : null,
    Upstream = new(),
};

const int Rules = 1_000_000;
var rules = new BlockRule[Rules];
for (var i = 0; i < rules.Length; i++)
{
    rules[i] = new BlockRule($"n{i}.blocked.test", IsWildcard: false, IsException: false, BlockAction.NxDomain, new RuleSource("national.txt", i + 1));
}

var queries = new byte[Rules][];
var answers = new byte[Rules][];
for (var i = 0; i < Rules; i++)
{
    (queries[i], answers[i]) = Messages(rules[i].Domain, (ushort)i);
}

var clients = Enumerable.Range(0, 8).Select(i => new IPEndPoint(IPAddress.Loopback, 40000 + i).Serialize()).ToArray();

var monitor = new LogQueueMonitor();
// "events": the events are built and go nowhere (no sink), to tell building them from writing them.
var serilog = mode is "events" or "mel"
    ? new LoggerConfiguration().MinimumLevel.Information().CreateLogger()
    : NationalDnsHost.ConfigureLogging(new LoggerConfiguration(), settings, monitor).CreateLogger();
using var factory = new SerilogLoggerFactory(serilog, dispose: true);
var capture = new QueryCapture(TimeProvider.System);
// As the host makes it (NationalDnsHost.Build); "mel": through the logging abstraction instead.
var refusals = mode == "mel" ? new RefusalLogWriter(factory.CreateLogger<OutcomeLoggingStage>()) : new RefusalLogWriter(new SerilogRefusalEvents(serilog));
var writer = new QueryLogWriter(capture, new RecentQueries(), [], TimeProvider.System, NullLogger<QueryLogWriter>.Instance, refusals);
var order = new Random(42);

// The serving side alone: fill the ring and empty it without reading, to subtract from the whole.
var serving = Measure(count, () =>
{
    for (var done = 0; done < count; done += QueryCapture.DefaultCapacity)
    {
        Fill(Math.Min(QueryCapture.DefaultCapacity, count - done));
        Drain(capture);
    }
});

// Warm-up, then the whole path, several rounds: on a shared machine one round's CPU can be far off, the median less so.
Run(Math.Min(count, 100_000));
var all = Enumerable.Range(0, rounds).Select(_ => Measure(count, () => Run(count))).OrderBy(m => m.CpuUs).ToList();
var whole = all[all.Count / 2];
Console.Out.Flush();
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {count:N0} events"));
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  whole path : {whole.CpuUs:F2} µs CPU/event (median of {rounds} rounds of {count:N0}; least {all[0].CpuUs:F2}), {whole.Bytes:F0} B allocated/event, {whole.WallUs:F2} µs wall/event"));
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ring only  : {serving.CpuUs:F2} µs CPU/event, {serving.Bytes:F0} B allocated/event"));
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  log's share: {whole.CpuUs - serving.CpuUs:F2} µs CPU/event; dropped: ring {capture.Dropped}, refusal queue {refusals.Dropped}, sinks {monitor.Dropped}"));
factory.Dispose();
if (mode == "file")
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  file: {File.ReadLines(logFile).Count():N0} lines"));
    File.Delete(logFile);
}

void Run(int events)
{
    for (var done = 0; done < events;)
    {
        var batch = Math.Min(QueryCapture.DefaultCapacity, events - done);
        Fill(batch);
        writer.DrainAsync(CancellationToken.None).GetAwaiter().GetResult();
        refusals.Flush();
        done += batch;
        while (monitor.Pending > QueryCapture.DefaultCapacity / 2)
        {
            Thread.Sleep(1); // let the sinks catch up: what is measured is their CPU, not their drops
        }
    }

    while (monitor.Pending > 0)
    {
        Thread.Sleep(1);
    }
}

void Fill(int events)
{
    for (var i = 0; i < events; i++)
    {
        var r = order.Next(Rules);
        capture.RecordWire(queries[r], answers[r], clients[r & 7], QueryLogOutcomes.Blocked, rules[r], null, Stopwatch.GetTimestamp());
    }
}

void Drain(QueryCapture ring)
{
    while (ring.TryTake() is { } slot)
    {
        ring.Release(slot);
    }
}

(double CpuUs, double Bytes, double WallUs) Measure(int events, Action body)
{
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var bytes = GC.GetTotalAllocatedBytes(precise: true);
    var wall = Stopwatch.StartNew();
    body();
    wall.Stop();
    process.Refresh();
    return ((process.TotalProcessorTime - cpu).TotalMicroseconds / events, (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)events, wall.Elapsed.TotalMicroseconds / events);
}

static (byte[] Query, byte[] Answer) Messages(string name, ushort id)
{
    var question = new List<byte>();
    foreach (var label in name.Split('.'))
    {
        question.Add((byte)label.Length);
        question.AddRange(Encoding.ASCII.GetBytes(label));
    }

    question.AddRange(new byte[] { 0, 0, 1, 0, 1 });
    byte[] opt = [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0];
    var query = new byte[12 + question.Count + opt.Length];
    BinaryPrimitives.WriteUInt16BigEndian(query, id);
    query[2] = 0x01; // RD
    query[5] = 1; // QDCOUNT
    query[11] = 1; // ARCOUNT
    question.CopyTo(query, 12);
    opt.CopyTo(query, 12 + question.Count);
    var answer = (byte[])query.Clone();
    answer[2] = 0x81; // QR, RD
    answer[3] = 0x83; // RA, NXDOMAIN
    return (query, answer);
}
