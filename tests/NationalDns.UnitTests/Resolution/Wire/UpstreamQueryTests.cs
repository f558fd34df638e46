using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Wire;

namespace NationalDns.UnitTests.Resolution.Wire;

/// <summary>The reply's question is relayed to the client, so it must come back in the client's own letter case.</summary>
public class UpstreamQueryTests
{
    private static readonly DnsQuestion Question = new(DomainName.Parse("WWW.Example.ORG"), RecordType.A, RecordClass.INet);

    // 3 WWW 7 Example 3 ORG 0, as the client wrote it.
    private static readonly byte[] ClientName = [3, .. Encoding.ASCII.GetBytes("WWW"), 7, .. Encoding.ASCII.GetBytes("Example"), 3, .. Encoding.ASCII.GetBytes("ORG"), 0];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_question_comes_back_in_the_clients_case_whatever_case_the_upstream_answered_in(bool randomiseCase)
    {
        using var random = new RandomBytes();
        var query = UpstreamQuery.Create(Question, new UpstreamRequestFlags(RecursionDesired: true, DnssecOk: false), randomiseCase, random);
        var reply = query.Bytes.ToArray();
        for (var i = WireFormat.HeaderSize; i < query.QuestionEnd - 4; i++)
        {
            reply[i] = UpstreamQuery.IsAsciiLetter(reply[i]) ? (byte)(reply[i] | 0x20) : reply[i]; // an upstream that lower-cases names
        }

        query.RestoreCase(reply);

        Assert.Equal(ClientName, reply[WireFormat.HeaderSize..(WireFormat.HeaderSize + ClientName.Length)]);
    }
}
