using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Rpz;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// An in-test RPZ primary on 127.0.0.1: a TCP server that answers AXFR with the current version of its zone, IXFR
/// with one diff from the version asked about (or a lone SOA when that is current, or the whole zone when it never
/// had that version), a few records per message so transfers span several messages. Tests send its NOTIFY with
/// <see cref="DnsTestClient.NotifyAsync"/>.
/// </summary>
internal sealed class FakePrimary : IAsyncDisposable
{
    private const int RecordsPerMessage = 2;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<uint, DnsRecordBase[]> _versions = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _accepting;
    private volatile uint _serial;

    private FakePrimary(string zone, uint serial, DnsRecordBase[] records)
    {
        Zone = zone;
        _serial = serial;
        _versions[serial] = records;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Zone { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Each request received: "AXFR" or "IXFR 3" (the serial the follower held).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Starts serving <paramref name="zone"/> at <paramref name="serial"/> with the records <paramref name="records"/> builds (none by default).</summary>
    public static FakePrimary Start(string zone, uint serial, Func<FakePrimary, DnsRecordBase[]>? records = null)
    {
        var primary = new FakePrimary(zone, serial, []);
        primary.Publish(serial, records?.Invoke(primary) ?? []);
        return primary;
    }

    /// <summary>A CNAME policy record for <paramref name="trigger"/> under the zone ("." NXDOMAIN, "*." NODATA).</summary>
    public CNameRecord Cname(string trigger, string target) =>
        new(DomainName.Parse($"{trigger}.{Zone}"), 60, target == "." ? DomainName.Root : DomainName.Parse(target));

    public ARecord A(string trigger, string address) => new(DomainName.Parse($"{trigger}.{Zone}"), 60, IPAddress.Parse(address));

    /// <summary>Makes <paramref name="records"/> the zone's content at <paramref name="serial"/>; the old versions stay for IXFR.</summary>
    public void Publish(uint serial, params DnsRecordBase[] records)
    {
        _versions[serial] = records;
        _serial = serial;
    }

    /// <summary>Stops listening: the primary becomes unreachable (connections are refused).</summary>
    public void Stop()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _accepting.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            var header = new byte[2];
            try
            {
                await stream.ReadExactlyAsync(header, _stop.Token);
                var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                await stream.ReadExactlyAsync(body, _stop.Token);
                var query = DnsMessage.Parse(body);
                foreach (var message in Answer(query))
                {
                    var bytes = TransferQuery.Encode(message);
                    var frame = new byte[bytes.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bytes.Length);
                    bytes.CopyTo(frame, 2);
                    await stream.WriteAsync(frame, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The follower went away or the primary stopped: nothing to clean up.
            }
        }
    }

    private IEnumerable<DnsMessage> Answer(DnsMessage query)
    {
        var serial = _serial;
        var current = _versions[serial];
        List<DnsRecordBase> records;
        if (query.Questions[0].RecordType == RecordType.Ixfr && query.AuthorityRecords is [SoaRecord held])
        {
            _requests.Enqueue($"IXFR {held.SerialNumber}");
            if (held.SerialNumber == serial)
            {
                records = [Soa(serial)];
            }
            else if (_versions.TryGetValue(held.SerialNumber, out var old))
            {
                var keys = current.Select(Key).ToHashSet();
                var oldKeys = old.Select(Key).ToHashSet();
                records = [Soa(serial), Soa(held.SerialNumber), .. old.Where(r => !keys.Contains(Key(r))), Soa(serial), .. current.Where(r => !oldKeys.Contains(Key(r))), Soa(serial)];
            }
            else
            {
                records = [Soa(serial), .. current, Soa(serial)];
            }
        }
        else
        {
            _requests.Enqueue("AXFR");
            records = [Soa(serial), .. current, Soa(serial)];
        }

        foreach (var chunk in records.Chunk(RecordsPerMessage))
        {
            var response = query.CreateResponseInstance();
            response.IsAuthoritiveAnswer = true;
            response.AnswerRecords.AddRange(chunk);
            yield return response;
        }
    }

    private SoaRecord Soa(uint serial) =>
        new(DomainName.Parse(Zone), 60, DomainName.Parse($"ns.{Zone}"), DomainName.Parse($"hostmaster.{Zone}"), serial, 3600, 1, 86400, 60);

    private static string Key(DnsRecordBase record) => record.ToString();
}
