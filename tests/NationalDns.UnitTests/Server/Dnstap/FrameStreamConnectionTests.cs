using NationalDns.Server.Dnstap;
using NationalDns.UnitTests.Policy;

namespace NationalDns.UnitTests.Server.Dnstap;

public sealed class FrameStreamConnectionTests : IDisposable
{
    private const string ContentType = "protobuf:dnstap.Dnstap";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_handshake_data_and_shutdown_have_the_Frame_Streams_byte_layout()
    {
        await using var collector = FakeCollector.Start(_directory.Path("c.sock"));
        await using (var connection = await FrameStreamConnection.OpenAsync(DnstapTarget.Unix(collector.Path).ToEndPoint(), ContentType, CancellationToken.None))
        {
            await connection.WriteAsync(new byte[] { 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0, 0, 0, 1, (byte)'d' }, CancellationToken.None);
            Assert.True(await connection.StopAsync(TimeSpan.FromSeconds(5)), "FINISH came");
        }

        // escape, length 34 (type + field type + field length + 22 octets), READY = 4, content type field = 1, 22 octets
        var ready = Convert.FromHexString("00000000" + "00000022" + "00000004" + "00000001" + "00000016" + Convert.ToHexString("protobuf:dnstap.Dnstap"u8));
        var start = Convert.FromHexString("00000000" + "00000022" + "00000002" + "00000001" + "00000016" + Convert.ToHexString("protobuf:dnstap.Dnstap"u8));
        var stop = Convert.FromHexString("00000000" + "00000004" + "00000003");
        Assert.Equal([ready, start, stop], collector.ControlFrames);
        Assert.Equal(["abc"u8.ToArray(), "d"u8.ToArray()], collector.DataFrames);
    }

    [Fact]
    public async Task A_collector_that_takes_another_content_type_is_refused()
    {
        await using var collector = FakeCollector.Start(_directory.Path("c.sock"), "protobuf:other.Thing");

        var error = await Assert.ThrowsAsync<FrameStreamException>(() => FrameStreamConnection.OpenAsync(DnstapTarget.Unix(collector.Path).ToEndPoint(), ContentType, CancellationToken.None));

        Assert.Contains("protobuf:other.Thing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_completes_when_the_collector_goes_away()
    {
        var collector = FakeCollector.Start(_directory.Path("c.sock"));
        await using var connection = await FrameStreamConnection.OpenAsync(DnstapTarget.Unix(collector.Path).ToEndPoint(), ContentType, CancellationToken.None);
        Assert.False(connection.Closed.IsCompleted);

        await collector.DisposeAsync();

        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_control_frame_encodes_as_the_collector_expects() =>
        Assert.Equal(FakeCollector.Control(1, ContentType, "x"), ControlFrame.Of(ControlType.Accept, ContentType, "x").Encode());
}
