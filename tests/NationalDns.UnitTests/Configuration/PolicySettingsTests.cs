using System.Net;
using NationalDns.Configuration;
using NationalDns.Core.Policy.Groups;

namespace NationalDns.UnitTests.Configuration;

public class PolicySettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags, string? configFile = null) =>
        SettingsReader.Read(SettingsReader.Layer(configFile, flags), () => SystemResolvers);

    [Fact]
    public void By_default_rules_run_on_the_real_time_and_there_are_no_groups()
    {
        var settings = Read([]);

        Assert.Null(settings.At);
        Assert.True(settings.Groups.IsEmpty);
    }

    [Fact]
    public void The_config_file_lists_groups_as_strings_and_commas_stay_inside_a_group()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "At": "2026-02-12T00:00+03:00", "Group": ["north=10.1.0.0/16,10.3.0.0/16", "shutdown=10.64.0.0/10;regime=allowlist;action=nxdomain"] }""");

            var settings = Read([], file);

            Assert.Equal(new DateTimeOffset(2026, 2, 11, 21, 0, 0, TimeSpan.Zero), settings.At);
            Assert.Equal(
                ["north=10.1.0.0/16,10.3.0.0/16", "shutdown=10.64.0.0/10;regime=allowlist;action=nxdomain"],
                settings.Groups.Groups.Select(g => g.ToString()));
            Assert.Equal(GroupRegime.Allowlist, settings.Groups.Named("shutdown")!.Regime);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_plain_string_is_one_group_whole()
    {
        var settings = Read(new() { ["Group"] = "north=10.1.0.0/16,10.3.0.0/16" });

        Assert.Equal("north=10.1.0.0/16,10.3.0.0/16", Assert.Single(settings.Groups.Groups).ToString());
    }

    [Fact]
    public void Flags_replace_the_files_groups_whole()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "Group": ["north=10.1.0.0/16", "south=10.2.0.0/16"] }""");

            var settings = Read(new() { ["Group:0"] = "west=10.4.0.0/16" }, file);

            Assert.Equal(["west"], settings.Groups.Groups.Select(g => g.Name));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("At", "soon", "--at: 'soon' is not a date (write 2026-02-12, 2026-02-12T09:30 or 2026-02-12T09:30+03:00)")]
    [InlineData("Group:0", "north", "--group: 'north' is not a group (write NAME=CIDR[,CIDR...][;regime=allowlist][;action=ACTION])")]
    public void Bad_values_are_usage_errors(string key, string value, string message)
    {
        Assert.Equal(message, Assert.Throws<UsageException>(() => Read(new() { [key] = value })).Message);
    }
}
