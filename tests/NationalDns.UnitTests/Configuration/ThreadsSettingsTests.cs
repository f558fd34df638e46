using System.Net;
using NationalDns.Cli;
using NationalDns.Configuration;
using NationalDns.Server.Hosting;

namespace NationalDns.UnitTests.Configuration;

/// <summary>The Threads key (<c>--threads</c>, <c>NATIONALDNS_THREADS</c>): UDP sockets and receive threads per listen address.</summary>
public sealed class ThreadsSettingsTests
{
    private static readonly IPEndPoint[] SystemResolvers = [new(IPAddress.Parse("192.0.2.53"), 53)];

    private static NationalDnsSettings Read(Dictionary<string, string?> flags, string? configFile = null) =>
        SettingsReader.Read(SettingsReader.Layer(configFile, flags), () => SystemResolvers);

    [Fact]
    public void Threads_default_to_the_processor_count()
    {
        Assert.Equal(Math.Min(Environment.ProcessorCount, ServerOptions.MaxThreads), Read([]).Server.Threads);
        Assert.Equal(Read([]).Server.Threads, new ServerOptions().Threads);
    }

    [Fact]
    public void The_threads_flag_becomes_the_Threads_key()
    {
        var parse = CommandLine.Build((_, _) => Task.FromResult(0), _ => 0, _ => 0).Parse(["serve", "--threads", "3"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(3, Read(Flags.ToConfiguration(parse)).Server.Threads);
    }

    [Fact]
    public void The_flag_wins_over_NATIONALDNS_THREADS_which_wins_over_the_config_file()
    {
        // The only test that sets the variable; no other test reads Threads from the environment.
        var file = Path.GetTempFileName();
        Environment.SetEnvironmentVariable("NATIONALDNS_THREADS", "5");
        try
        {
            File.WriteAllText(file, """{ "Threads": 4 }""");

            Assert.Equal(5, Read([], file).Server.Threads);
            Assert.Equal(6, Read(new() { ["Threads"] = "6" }, file).Server.Threads);
            Environment.SetEnvironmentVariable("NATIONALDNS_THREADS", null);
            Assert.Equal(4, Read([], file).Server.Threads);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NATIONALDNS_THREADS", null);
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("256", 256)]
    [InlineData(" 2 ", 2)]
    public void Any_count_from_1_to_256_is_taken(string value, int expected) =>
        Assert.Equal(expected, Read(new() { ["Threads"] = value }).Server.Threads);

    [Theory]
    [InlineData("0", "--threads: must be 1 to 256")]
    [InlineData("257", "--threads: must be 1 to 256")]
    [InlineData("-2", "--threads: '-2' is not a whole number")]
    [InlineData("many", "--threads: 'many' is not a whole number")]
    [InlineData("1.5", "--threads: '1.5' is not a whole number")]
    [InlineData("99999999999999999999", "--threads: '99999999999999999999' is not a whole number")]
    public void A_bad_thread_count_is_one_clear_usage_error(string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => Read(new() { ["Threads"] = value }));

        Assert.Equal(message, error.Message);
    }
}
