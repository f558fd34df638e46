using ARSoft.Tools.Net.Dns;
using NationalDns.Server.Admission;

namespace NationalDns.UnitTests.Server.Admission;

public sealed class AdmissionAnswerWriterTests
{
    // ID 0xBEEF, RD, one question (NAME AAAA IN).
    private static byte[] Query(string name)
    {
        var bytes = new List<byte> { 0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 28, 0, 1]);
        return [.. bytes];
    }

    [Fact]
    public void Refused_echoes_id_question_and_rd_with_no_records()
    {
        var answer = new byte[512];
        var length = AdmissionAnswerWriter.WriteRefused(Query("Www.Example.org"), answer);

        var message = DnsMessage.Parse(answer.AsSpan(0, length).ToArray());
        Assert.Equal(0xBEEF, message.TransactionID);
        Assert.True(message.IsQuery == false);
        Assert.Equal(ReturnCode.Refused, message.ReturnCode);
        Assert.True(message.IsRecursionDesired);
        Assert.False(message.IsTruncated);
        Assert.Equal("Www.Example.org.", message.Questions.Single().Name.ToString());
        Assert.Equal(RecordType.Aaaa, message.Questions.Single().RecordType);
        Assert.Empty(message.AnswerRecords);
    }

    [Fact]
    public void Truncated_is_an_empty_noerror_answer_with_tc()
    {
        var answer = new byte[512];
        var length = AdmissionAnswerWriter.WriteTruncated(Query("example.org"), answer);

        var message = DnsMessage.Parse(answer.AsSpan(0, length).ToArray());
        Assert.True(message.IsTruncated);
        Assert.Equal(ReturnCode.NoError, message.ReturnCode);
        Assert.Empty(message.AnswerRecords);
        Assert.Empty(message.AdditionalRecords);
    }

    [Fact]
    public void Junk_and_responses_get_nothing()
    {
        var answer = new byte[512];
        var response = Query("example.org");
        response[2] |= 0x80;

        Assert.Equal(0, AdmissionAnswerWriter.WriteRefused([1, 2, 3], answer));
        Assert.Equal(0, AdmissionAnswerWriter.WriteRefused(response, answer));
        Assert.Equal(0, AdmissionAnswerWriter.WriteTruncated([.. Query("example.org").AsSpan(0, 14)], answer));
    }
}
