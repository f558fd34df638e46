using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Pipeline;
using NationalDns.UnitTests.Support;

namespace NationalDns.UnitTests.Pipeline;

public class ValidationStageTests
{
    private readonly ValidationStage _stage = new();

    [Fact]
    public async Task A_plain_query_is_passed_on()
    {
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For("example.org"), next.Handler, CancellationToken.None);

        Assert.Equal(QueryOutcome.Forwarded, result.Outcome);
        Assert.Equal(1, next.Calls);
    }

    [Fact]
    public async Task Two_questions_get_FORMERR_without_calling_next()
    {
        var message = Queries.Message("a.example");
        message.Questions.Add(new DnsQuestion(DomainName.Parse("b.example"), RecordType.A, RecordClass.INet));
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For(message), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.FormatError, result.Response!.ReturnCode);
        Assert.Equal(QueryOutcome.Rejected, result.Outcome);
        Assert.Equal(0, next.Calls);
    }

    [Fact]
    public async Task No_question_gets_FORMERR()
    {
        var message = new DnsMessage { TransactionID = 1 };
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For(message), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.FormatError, result.Response!.ReturnCode);
        Assert.Equal(0, next.Calls);
    }

    [Fact]
    public async Task Another_opcode_gets_NOTIMP()
    {
        var message = Queries.Message("example.org");
        message.OperationCode = OperationCode.Notify;
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For(message), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.NotImplemented, result.Response!.ReturnCode);
        Assert.Equal(0, next.Calls);
    }

    [Fact]
    public async Task EDNS_version_1_gets_BADVERS()
    {
        var message = Queries.Message("example.org", edns: true);
        message.EDnsOptions!.Version = 1;
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For(message), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.BadVersion, result.Response!.ReturnCode);
        Assert.Equal(0, next.Calls);
    }

    [Theory]
    [InlineData(RecordType.Axfr)]
    [InlineData(RecordType.Ixfr)]
    public async Task Zone_transfers_are_refused(RecordType type)
    {
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For("example.org", type), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.Refused, result.Response!.ReturnCode);
        Assert.Equal(0, next.Calls);
    }

    [Fact]
    public async Task Chaos_class_is_refused()
    {
        var message = new DnsMessage { TransactionID = 3 };
        message.Questions.Add(new DnsQuestion(DomainName.Parse("version.bind"), RecordType.Txt, RecordClass.Chaos));
        var next = new RecordingNext();

        var result = await _stage.HandleAsync(Queries.For(message), next.Handler, CancellationToken.None);

        Assert.Equal(ReturnCode.Refused, result.Response!.ReturnCode);
        Assert.Equal(0, next.Calls);
    }
}
