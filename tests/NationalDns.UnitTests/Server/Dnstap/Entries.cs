using NationalDns.Core.QueryLog;

namespace NationalDns.UnitTests.Server.Dnstap;

/// <summary>Query log entries for dnstap tests: a UDP query from 127.0.0.1 answered NOERROR, unless told otherwise.</summary>
internal static class Entries
{
    public static readonly DateTimeOffset Time = new(2026, 2, 12, 9, 30, 0, TimeSpan.Zero);

    public static QueryLogEntry For(string name, string client = "127.0.0.1", string transport = "udp", bool answered = true, double latencyMs = 2.5) =>
        new(1, Time.AddTicks(1_234_567), client, 40000, null, transport, name, "A", "IN", true, false, false, QueryLogOutcomes.Forwarded,
            null, null, null, null, null, answered ? "NOERROR" : null, null, 0, answered ? 29 : 0, latencyMs, null)
        {
            QueryMessage = new byte[] { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1 },
            ResponseMessage = answered ? new byte[] { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1 } : (ReadOnlyMemory<byte>?)null,
        };
}
