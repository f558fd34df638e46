using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using NationalDns.Caching;
using NationalDns.Pipeline;
using NationalDns.Policy;
using NationalDns.Server.Metrics;
using NationalDns.Server.Transport;

namespace NationalDns.Server.FastPath;

/// <summary>
/// Answers plain UDP queries for blocked names straight from the receive loop: the datagram is read in place,
/// matched against the rule set, and the answer written as bytes. Everything else (allowed names, exceptions,
/// anything unusual in the packet) returns <see cref="IUdpFastPath.NotHandled"/> and takes the full pipeline.
/// The refusal is logged with the same event as the pipeline's.
/// </summary>
public sealed class BlockedFastPath : IUdpFastPath
{
    private readonly IRuleSetSource _rules;
    private readonly BlockedAnswerWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger<OutcomeLoggingStage> _logger;
    private readonly CachedAnswerWriter? _cached;
    private readonly DnsMetrics? _metrics;

    /// <summary>Creates the fast path; with a <paramref name="cache"/>, names the rules let through are answered from it when they can be.</summary>
    public BlockedFastPath(IRuleSetSource rules, BlockingOptions options, TimeProvider time, ILogger<OutcomeLoggingStage> logger, ResponseCache? cache = null, DnsMetrics? metrics = null)
    {
        _metrics = metrics;
        _rules = rules;
        _writer = new BlockedAnswerWriter(options);
        _cached = cache is null ? null : new CachedAnswerWriter(cache);
        _time = time;
        _logger = logger;
    }

    public int TryAnswer(ReadOnlySpan<byte> query, Span<byte> answer, SocketAddress client)
    {
        var started = _time.GetTimestamp();
        Span<char> name = stackalloc char[256];
        Span<int> labelOffsets = stackalloc int[WireQuery.MaxLabels];
        if (!WireQuery.TryParse(query, name, labelOffsets, out var parsed))
        {
            return IUdpFastPath.NotHandled;
        }

        name = name[..parsed.NameLength];
        var rules = _rules.Current;
        var rule = rules.Match(name);
        if (rule is null || rule.IsException)
        {
            var cached = _cached?.TryWrite(query, parsed, name, rules, answer) ?? IUdpFastPath.NotHandled;
            _metrics?.CountCachedUdp(cached); // metrics: a lock-free increment, nothing allocated
            return cached;
        }

        if (answer.Length < BlockedAnswerWriter.MaxAnswerSize(query.Length, rule))
        {
            return IUdpFastPath.NotHandled;
        }

        var length = rule.Action.Kind == BlockActionKind.Drop ? 0 : _writer.Write(query, parsed, name, labelOffsets, rule, answer);
        _metrics?.CountRefused(ARSoft.Tools.Net.Dns.TransportProtocol.Udp, rule); // metrics: lock-free, allocation-free
        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogRefusal(query, parsed, rule, client, started);
        }

        return length;
    }

    private void LogRefusal(ReadOnlySpan<byte> query, in WireQuery parsed, BlockRule rule, SocketAddress client, long started)
    {
        var elapsed = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 3);
        var type = DnsText.TypeName((ARSoft.Tools.Net.Dns.RecordType)parsed.QueryType);
        var from = ClientEndPoint.FromSocketAddress(client).ToString();
        RefusalLog.Refused(_logger, QuestionName(query, parsed.QuestionEnd), type, from, rule.Action.ToString(), rule.Pattern, rule.Source.ToString(), elapsed);
    }

    // The name as the client wrote it (letter case kept), for the log; WireQuery vouched for its shape.
    private static string QuestionName(ReadOnlySpan<byte> query, int questionEnd)
    {
        var text = new StringBuilder(questionEnd);
        var offset = 12;
        while (query[offset] != 0)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(Encoding.ASCII.GetString(query.Slice(offset + 1, query[offset])));
            offset += 1 + query[offset];
        }

        return text.ToString();
    }
}
