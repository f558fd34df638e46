using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Rpz.Following;
using NationalDns.UnitTests.Policy;
using static NationalDns.UnitTests.Rpz.Following.Transfers;

namespace NationalDns.UnitTests.Rpz.Following;

public sealed class ZoneCacheFileTests
{
    [Fact]
    public void A_written_copy_reads_back_the_same_and_leaves_no_temporary_file()
    {
        using var folder = new TempDirectory();
        var path = folder.Path("rpz.test.zone");
        var copy = new ZoneCopy(ZoneName, ZoneSoa.From(Soa(42)), [.. new ARSoft.Tools.Net.Dns.DnsRecordBase[] { Cname("nx", "."), Cname("*.wild", "*."), A("sink", "192.0.2.7") }.Select(TransferredRecord.ToZoneRecord)]);

        ZoneCacheFile.Write(path, copy, "test copy");
        var read = ZoneCacheFile.TryRead(path, ZoneName, out var problem);

        Assert.Null(problem);
        Assert.NotNull(read);
        Assert.Equal(copy.Soa, read.Soa);
        Assert.Equal(copy.ToRules("x").Rules, read.ToRules("x").Rules);
        Assert.Equal([path], Directory.GetFiles(folder.Root));
    }

    [Fact]
    public void The_cache_file_is_an_RPZ_file_the_list_reader_reads_too_with_record_N_on_line_N()
    {
        using var folder = new TempDirectory();
        var path = folder.Path("rpz.test.zone");
        var copy = new ZoneCopy(ZoneName, ZoneSoa.From(Soa(1)), [TransferredRecord.ToZoneRecord(Cname("nx", ".")), TransferredRecord.ToZoneRecord(Cname("other", "*."))]);
        ZoneCacheFile.Write(path, copy, "test copy");

        var parsed = RpzParser.Parse(File.ReadAllBytes(path), path);

        Assert.Empty(parsed.Problems);
        Assert.Equal(["nx:2", "other:3"], parsed.Rules.Select(r => $"{r.Domain}:{r.Source.Line}"));
        Assert.Equal(["nx:2", "other:3"], copy.ToRules("x").Rules.Select(r => $"{r.Domain}:{r.Source.Line}"));
    }

    [Fact]
    public void A_copy_of_another_zone_is_not_used()
    {
        using var folder = new TempDirectory();
        var path = folder.Path("other.zone");
        ZoneCacheFile.Write(path, new ZoneCopy("other.test", ZoneSoa.From(Soa(1)), []), "test copy");

        Assert.Null(ZoneCacheFile.TryRead(path, ZoneName, out var problem));
        Assert.Equal($"{path} holds no SOA for rpz.test", problem);
    }

    [Fact]
    public void A_missing_file_is_no_copy()
    {
        Assert.Null(ZoneCacheFile.TryRead("/nonexistent/rpz.zone", ZoneName, out var problem));
        Assert.Equal("no cached copy at /nonexistent/rpz.zone", problem);
    }
}
