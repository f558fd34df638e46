using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Caching;

namespace NationalDns.UnitTests.Caching;

public class CacheKeyTests
{
    [Fact]
    public void Names_differing_only_in_letter_case_are_one_key()
    {
        var lower = Key("www.example.org");
        var mixed = Key("WWW.Example.ORG");

        Assert.Equal(lower, mixed);
        Assert.Equal(lower.GetHashCode(), mixed.GetHashCode());
    }

    [Fact]
    public void Type_class_DO_and_CD_each_make_a_different_key()
    {
        var plain = Key("example.org");

        Assert.NotEqual(plain, Key("example.org", type: RecordType.Aaaa));
        Assert.NotEqual(plain, Key("example.org", recordClass: RecordClass.Any));
        Assert.NotEqual(plain, Key("example.org", dnssecOk: true));
        Assert.NotEqual(plain, Key("example.org", checkingDisabled: true));
        Assert.NotEqual(Key("example.org", dnssecOk: true), Key("example.org", checkingDisabled: true));
    }

    [Fact]
    public void Label_boundaries_matter()
    {
        var twoLabels = Key("a.b.example");
        var oneLabelWithDot = new CacheKey(new DomainName(["a.b", "example"]), RecordType.A, RecordClass.INet, false, false);

        Assert.NotEqual(twoLabels, oneLabelWithDot);
        Assert.NotEqual(Key("example.org"), Key("www.example.org"));
    }

    [Fact]
    public void A_lookup_from_decoded_characters_finds_the_equal_key_and_only_that()
    {
        var comparer = CacheKeyComparer.Instance;
        var key = Key("WWW.Example.org", dnssecOk: true);
        var same = new CacheLookup("www.example.org", (ushort)RecordType.A, (ushort)RecordClass.INet, true, false);
        var otherFlags = new CacheLookup("www.example.org", (ushort)RecordType.A, (ushort)RecordClass.INet, false, false);
        var otherName = new CacheLookup("www.example.com", (ushort)RecordType.A, (ushort)RecordClass.INet, true, false);

        Assert.True(comparer.Equals(same, key));
        Assert.Equal(comparer.GetHashCode(key), comparer.GetHashCode(same));
        Assert.Equal(key, comparer.Create(same));
        Assert.False(comparer.Equals(otherFlags, key));
        Assert.False(comparer.Equals(otherName, key));
    }

    [Fact]
    public void Only_ASCII_letters_fold_and_dots_inside_labels_are_escaped()
    {
        Assert.Equal("a\\.b\\\\c.example", new CacheKey(new DomainName(["A.b\\c", "Example"]), RecordType.A, RecordClass.INet, false, false).Name);
        Assert.NotEqual(Key("\\192.example"), Key("\\224.example"));
    }

    private static CacheKey Key(string name, RecordType type = RecordType.A, RecordClass recordClass = RecordClass.INet, bool dnssecOk = false, bool checkingDisabled = false) =>
        new(DomainName.Parse(name), type, recordClass, dnssecOk, checkingDisabled);
}
