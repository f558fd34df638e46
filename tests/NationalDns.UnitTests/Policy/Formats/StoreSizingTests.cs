using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Store;

namespace NationalDns.UnitTests.Policy.Formats;

public sealed class StoreSizingTests
{
    private const long Look = 64 << 10; // the first look, after 64 KB

    [Fact]
    public void Before_the_first_64_KB_the_store_is_left_to_grow_by_itself()
    {
        var store = StoreWith(1000);
        var before = store.RuleCapacity;

        new StoreSizing(store, fileLength: 16 << 20).Read(Look - 1);

        Assert.Equal(before, store.RuleCapacity);
    }

    [Fact]
    public void After_the_first_sixteenth_the_store_is_sized_for_the_whole_file_with_a_32nd_to_spare()
    {
        var store = StoreWith(4000);
        var sizing = new StoreSizing(store, fileLength: 16 * Look);

        sizing.Read(Look);

        Assert.Equal(64_000 + 2_000, store.RuleCapacity); // 4,000 rules × 16, plus a 32nd
        Assert.Equal(WithSpare(store.NameBytes * 16), store.NameCapacity);
    }

    [Fact]
    public void Early_looks_reach_sixteen_times_the_bytes_read_not_the_whole_file()
    {
        var store = StoreWith(4000);

        new StoreSizing(store, fileLength: 1024 * Look).Read(Look);

        Assert.Equal(66_000, store.RuleCapacity); // not 4,000 × 1,024
    }

    [Fact]
    public void A_64_GB_sparse_file_behind_a_page_of_names_reserves_megabytes_not_the_machine()
    {
        var store = StoreWith(4000);
        var sizing = new StoreSizing(store, fileLength: 64L << 30);

        // Its zeros add no rules: each later look projects less than was reserved and nothing grows.
        for (var position = Look; position < 64L << 30; position *= 2)
        {
            sizing.Read(position);
        }

        Assert.Equal(66_000, store.RuleCapacity);
        Assert.True(store.NameCapacity < 4 << 20, $"{store.NameCapacity} bytes of names reserved");
    }

    [Fact]
    public void A_look_that_projects_no_more_than_was_reserved_copies_nothing()
    {
        var store = StoreWith(4000);
        var sizing = new StoreSizing(store, fileLength: 16 * Look);
        sizing.Read(Look);
        var reserved = store.RuleCapacity;
        AddRules(store, 4000, from: 4000); // the second 64 KB as dense as the first: 8,000 × 8 = the same projection

        sizing.Read(2 * Look);

        Assert.Equal(reserved, store.RuleCapacity);
    }

    [Fact]
    public void A_look_at_or_past_the_end_of_the_file_changes_nothing()
    {
        var store = StoreWith(4000);
        var before = store.RuleCapacity;

        new StoreSizing(store, fileLength: Look).Read(Look);

        Assert.Equal(before, store.RuleCapacity);
    }

    private static int WithSpare(int projected) => projected + (projected / 32);

    private static RuleStore StoreWith(int rules)
    {
        var store = new RuleStore();
        AddRules(store, rules, from: 0);
        return store;
    }

    private static void AddRules(RuleStore store, int count, int from)
    {
        for (var i = from; i < from + count; i++)
        {
            store.Add($"d{i:D6}.example", RuleFlags.None, BlockAction.NxDomain, "list.txt", i + 1);
        }
    }
}
