using System.Diagnostics;
using System.Globalization;
using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;

// Memory and load time of a large list: N synthetic rules (default 1,000,000), built into a RuleSet from parsed rules and
// loaded from a file through BlocklistLoader, as the server does at startup, then reloaded after a one-line edit. Prints
// load time, managed bytes per rule (the loader's total includes the per-file form it keeps for reloads), ns and bytes
// allocated per lookup, and the GC pause time of the load and the reload.
if (args is ["load", var listFile])
{
    LoadOnce(listFile);
    return;
}

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var file = Path.Combine(Path.GetTempPath(), $"nationaldns-listmemory-{count}.txt");
var names = Names(count);
File.WriteAllText(file, string.Join('\n', names) + "\n");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} rules, {new FileInfo(file).Length / 1e6:F1} MB list file"));

// 1. The rule set alone: parse, then keep only the RuleSet (it references the rules it needs).
var baseline = Settled();
var parsed = Parse(file);
var afterParse = Settled();
var builder = new RuleSetBuilder(parsed.Rules.Count);
var build = Stopwatch.StartNew();
builder.AddRange(parsed.Rules);
var rules = builder.Build();
build.Stop();
parsed = null;
var afterSet = Settled();
Report("parsed list (the packed per-file form)", afterParse - baseline, count);
Report("rule set built from it (it indexes the parsed store in place)", afterSet - baseline, count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  build from parsed rules: {build.Elapsed.TotalMilliseconds:F0} ms"));
MatchSpeed(rules, names);
GC.KeepAlive(rules);
rules = null;

// 2. What the server holds: BlocklistLoader keeps each file's parse (for reloads) and the compiled set.
var beforeLoad = Settled();
var pausedBefore = GC.GetTotalPauseDuration();
var load = Stopwatch.StartNew();
var loader = new BlocklistLoader([file], BlockAction.NxDomain);
var snapshot = loader.Load();
load.Stop();
var loadPauses = GC.GetTotalPauseDuration() - pausedBefore;
var afterLoad = Settled();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BlocklistLoader.Load: {load.Elapsed.TotalMilliseconds:F0} ms for {snapshot.RuleCount:N0} rules (GC pauses {loadPauses.TotalMilliseconds:F0} ms)"));
Report("loader total (parses kept for reload + rule set)", afterLoad - beforeLoad, count);
MatchSpeed(snapshot.Rules, names);

// 3. Reloads after a one-line edit: of the big list itself (read and parsed again), and of a small list beside it
// (only the index is rebuilt over the big list's unchanged store). The loader reads a changed file once its
// signature held still for one poll, hence two polls each.
Reloaded("the edited 1M file", loader, file);
var small = Path.Combine(Path.GetTempPath(), $"nationaldns-listmemory-small-{count}.txt");
File.WriteAllText(small, "small-list.example\n");
var both = new BlocklistLoader([file, small], BlockAction.NxDomain);
both.Load();
Reloaded("a small file beside the 1M file", both, small);
GC.KeepAlive(loader);
File.Delete(file);
File.Delete(small);

static void Reloaded(string what, BlocklistLoader loader, string edited)
{
    File.AppendAllText(edited, "added-by-the-benchmark.example\n");
    File.SetLastWriteTimeUtc(edited, DateTime.UtcNow.AddSeconds(1));
    loader.Reload();
    var pausedBefore = GC.GetTotalPauseDuration();
    var watch = Stopwatch.StartNew();
    var reload = loader.Reload();
    watch.Stop();
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"BlocklistLoader.Reload of {what}: {watch.Elapsed.TotalMilliseconds:F0} ms, +{reload?.Change.RulesAdded} -{reload?.Change.RulesRemoved} rules (GC pauses {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms)"));
}

// `load FILE`: one load of FILE through BlocklistLoader, as the server's start-up does, in a process of its own so the
// peak RSS is the load's: wall time, bytes allocated, the highest managed heap seen (sampled every millisecond), the
// managed memory the loaded lists hold after a full collection, and the process's RSS and peak RSS (VmHWM). The CPU time
// counts every thread of the process, the sampler's included.
static void LoadOnce(string file)
{
    var baseline = Settled();
    var rssBefore = ProcStatus("VmRSS");
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    long peak = 0;
    using var done = new ManualResetEventSlim();
    var sampler = new Thread(() =>
    {
        while (!done.IsSet)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            Thread.Sleep(1);
        }
    });
    sampler.Start();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var snapshot = new BlocklistLoader([file], BlockAction.NxDomain).Load();
    watch.Stop();
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    done.Set();
    sampler.Join();
    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    var held = Settled() - baseline;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{file}: {new FileInfo(file).Length / 1048576.0:F1} MiB, {snapshot.RuleCount:N0} rules, {snapshot.Problems.Count():N0} problems kept; load {watch.Elapsed.TotalMilliseconds:F0} ms ({cpu.TotalMilliseconds:F0} ms CPU); allocated {allocated / 1048576.0:F1} MiB; managed peak {(peak - baseline) / 1048576.0:F1} MiB over the {baseline / 1048576.0:F1} MiB before, held after a full GC {held / 1048576.0:F1} MiB; RSS {rssBefore / 1024.0:F0} -> {ProcStatus("VmRSS") / 1024.0:F0} MiB, peak {ProcStatus("VmHWM") / 1024.0:F0} MiB"));
    GC.KeepAlive(snapshot);
}

// A /proc/self/status figure in KiB (Linux), or 0 elsewhere.
static long ProcStatus(string key) => File.Exists("/proc/self/status")
    ? File.ReadLines("/proc/self/status").Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
        .Select(l => long.Parse(l[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault()
    : 0;

static ParsedList Parse(string file)
{
    using var stream = File.OpenRead(file);
    return BlocklistParser.Parse(stream, file, BlockAction.NxDomain);
}

static long Settled()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static void Report(string what, long bytes, int count) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {bytes / 1048576.0:F1} MiB managed, {bytes / (double)count:F0} bytes per rule"));

static void MatchSpeed(RuleSet rules, string[] names)
{
    // Half the lookups hit (a name under a listed domain), half miss; then misses alone, the allowed traffic's case.
    // The same names every run.
    var mixed = new string[1 << 16];
    var misses = new string[mixed.Length];
    for (var i = 0; i < mixed.Length; i++)
    {
        var listed = names[(int)((uint)(i * 2654435761u) % (uint)names.Length)];
        mixed[i] = i % 2 == 0 ? "www." + listed : "www.not-" + listed;
        misses[i] = "www.not-" + listed;
    }

    Lookups("Match", rules, mixed);
    Lookups("Match, misses only", rules, misses);
}

static void Lookups(string what, RuleSet rules, string[] queries)
{
    var context = new RuleContext(DateTimeOffset.UtcNow);
    for (var i = 0; i < queries.Length; i++)
    {
        rules.Match(queries[i], context);
    }

    const int rounds = 5_000_000;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    var hits = 0;
    for (var i = 0; i < rounds; i++)
    {
        hits += rules.Match(queries[i & (queries.Length - 1)], context) is null ? 0 : 1;
    }

    watch.Stop();
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"  {what}: {watch.Elapsed.TotalNanoseconds / rounds:F0} ns per lookup ({hits * 100.0 / rounds:F0} % hits), {allocated} bytes allocated in {rounds:N0} lookups ({allocated / (double)rounds:F2} per lookup)"));
}

// Distinct names shaped like a tracker list: prefix-hexhash.tld, every fourth one a subdomain.
static string[] Names(int count)
{
    string[] tlds = ["com", "net", "org", "io", "ru", "de", "info", "xyz", "top", "cn", "co.uk", "online", "site", "biz", "club"];
    string[] prefixes = ["ads", "track", "metrics", "cdn", "pixel", "stat", "beacon", "tag", "counter", "promo"];
    string[] subs = ["a", "img", "api", "static", "m"];
    var names = new string[count];
    var text = new StringBuilder();
    for (var i = 0; i < count; i++)
    {
        var h = (uint)(i * 2246822519u);
        text.Clear();
        if (i % 4 == 3)
        {
            text.Append(subs[i % subs.Length]).Append(i % 89).Append('.');
        }

        text.Append(prefixes[(int)(h / 13 % (uint)prefixes.Length)]).Append('-').Append(h.ToString("x", CultureInfo.InvariantCulture)).Append('.').Append(tlds[i % tlds.Length]);
        names[i] = text.ToString();
    }

    return names;
}
