// Loads a generated N-line list in each format through BlocklistLoader (read, detect, parse, build the rule set)
// and prints the wall time and the managed memory the loaded rules hold. Deterministic: the same N, the same files.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var folder = Directory.CreateTempSubdirectory("nationaldns-formats-load-").FullName;
var windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
try
{
    var lists = new (string Name, string Header, Func<int, string> Line, Encoding Encoding)[]
    {
        ("native.txt", "# generated\n", i => $"{Name(i)}\n", Encoding.UTF8),
        ("hosts", "127.0.0.1 localhost\n", i => $"0.0.0.0 {Name(i)}\n", Encoding.UTF8),
        ("adblock.txt", "! generated\n", i => $"||{Name(i)}^\n", Encoding.UTF8),
        ("policy.rpz", "$TTL 60\n$ORIGIN rpz.bench.\n@ SOA ns.bench. h.bench. 1 3600 600 86400 60\n@ NS ns.bench.\n", i => $"{Name(i)} CNAME .\n", Encoding.UTF8),
        ("dump.csv", "Updated: 2026-02-12 09:00:00 +0300\n", i => $"192.0.2.{i % 250};{Name(i)};http://{Name(i)}/;Тестовый орган;TEST-{i};2026-02-12\n", windows1251),
    };

    Console.WriteLine($"{count:N0} lines per file, {Environment.ProcessorCount} cores");
    foreach (var (name, header, line, encoding) in lists)
    {
        var path = Path.Combine(folder, name);
        using (var writer = new StreamWriter(path, false, encoding == Encoding.UTF8 ? new UTF8Encoding(false) : encoding))
        {
            writer.Write(header);
            for (var i = 0; i < count; i++)
            {
                writer.Write(line(i));
            }
        }

        // One warm-up load (JIT, page cache), then the best of three. CPU time is printed beside wall time because
        // on a shared machine the wall clock mostly measures the neighbours.
        Load(path);
        var bytes = File.ReadAllBytes(path);
        var best = (Wall: TimeSpan.MaxValue, Cpu: TimeSpan.MaxValue, ParseCpu: TimeSpan.MaxValue);
        BlocklistSnapshot? snapshot = null;
        long held = 0;
        for (var run = 0; run < 3; run++)
        {
            GC.Collect();
            var parseCpu = Cpu();
            GC.KeepAlive(BlocklistParser.Parse(new MemoryStream(bytes, writable: false), path, BlockAction.NxDomain));
            parseCpu = Cpu() - parseCpu;

            snapshot = null;
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var cpu = Cpu();
            var watch = Stopwatch.StartNew();
            snapshot = Load(path);
            watch.Stop();
            cpu = Cpu() - cpu;
            held = GC.GetTotalMemory(forceFullCollection: true) - before;
            best = (Min(best.Wall, watch.Elapsed), Min(best.Cpu, cpu), Min(best.ParseCpu, parseCpu));
        }

        var file = snapshot!.Files[0];
        Console.WriteLine(
            $"{name,-12} {file.Format,-13} {snapshot.RuleCount,9:N0} rules  load: wall {best.Wall.TotalSeconds:F2} s, CPU {best.Cpu.TotalSeconds:F2} s " +
            $"(parse alone: CPU {best.ParseCpu.TotalSeconds:F2} s)  rules hold {held / 1024.0 / 1024.0:F0} MB  ({file.Problems.Count} bad lines)");

        GC.KeepAlive(snapshot);
        File.Delete(path);
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

static BlocklistSnapshot Load(string path) => new BlocklistLoader([path], BlockAction.NxDomain).Load();

// Distinct names that look like a tracker list: a prefix, a hash, a TLD.
static string Name(int i)
{
    var h = (uint)(i * 2246822519L);
    string[] tlds = ["com", "net", "org", "io", "ru", "de", "info", "xyz"];
    string[] prefixes = ["ad", "track", "pixel", "metrics", "cdn", "promo"];
    return $"{prefixes[(int)(h / 13 % (uint)prefixes.Length)]}-{h:x}.{tlds[i % tlds.Length]}";
}
