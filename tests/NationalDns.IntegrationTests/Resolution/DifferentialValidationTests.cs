using NationalDns.IntegrationTests.Support;

namespace NationalDns.IntegrationTests.Resolution;

/// <summary>
/// The differential comparison against a validating Unbound in front of a signed zone on NSD: validated answers
/// (AD with DO), a broken signature's SERVFAIL with Unbound's Extended DNS Error, and the same data with CD=1.
/// </summary>
public sealed class DifferentialValidationTests : IClassFixture<ValidatingUnboundFixture>
{
    private static readonly string[] Names = ["good", "bad", "nope"];
    private static readonly ushort[] Types = [1, 16];

    private readonly ValidatingUnboundFixture _fixture;

    public DifferentialValidationTests(ValidatingUnboundFixture fixture) => _fixture = fixture;

    // RD=1 only: with RD=0 NationalDns answers from its own cache and Unbound from its own (REFUSED for what it has
    // not got, RFC 1034 §4.3.1), and the two hold different things. NSD answers RD=0 like RD=1, so DifferentialTests
    // covers RD=0 (echoed, and answered from the cache).
    [InstalledFact(NsdServer.Binary, NsdServer.Package, UnboundSandbox.Binary, UnboundSandbox.Package, SignedZone.Signer, SignedZone.Package)]
    public async Task Answers_from_a_validating_Unbound_come_back_the_same_but_for_what_the_RFCs_ask()
    {
        var id = 0;
        var cases = (from name in Names
                     from type in Types
                     from variant in QueryVariant.All.Where(v => v.RecursionDesired)
                     select new DifferentialCase($"{name}.{ValidatingUnboundFixture.Zone}", type, variant, (ushort)++id)).ToList();
        var run = new DifferentialRun(_fixture.Server.EndPoint, _fixture.Unbound);

        await run.CompareAsync(cases);

        Assert.True(run.Count == 0, run.Report() + "\n" + _fixture.Output);
    }

    [InstalledFact(NsdServer.Binary, NsdServer.Package, UnboundSandbox.Binary, UnboundSandbox.Package, SignedZone.Signer, SignedZone.Package)]
    public async Task With_CD_a_name_whose_signature_is_broken_gets_its_data_through_NationalDns_as_from_Unbound()
    {
        // RFC 4035 §3.2.2: with CD=1 a validating resolver hands over the data it could not validate; a forwarder that
        // dropped CD on the way would turn this into SERVFAIL.
        var query = new QueryBuilder { Name = $"bad.{ValidatingUnboundFixture.Zone}", EdnsUdpSize = 1232, DnssecOk = true, CheckingDisabled = true };
        var withoutCd = query with { Id = 2, CheckingDisabled = false };

        var viaServer = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Server.EndPoint, query.Build()))!);
        var direct = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Unbound, query.Build()))!);
        var refused = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Server.EndPoint, withoutCd.Build()))!);

        Assert.Equal(0, direct.ReturnCode);
        Assert.Equal(0, viaServer.ReturnCode);
        Assert.Contains(viaServer.Answers, r => r.Type == 1 && r.Data == "C0000202");
        Assert.Equal(direct.Answers, viaServer.Answers);
        Assert.False(viaServer.AuthenticData);
        Assert.Equal(2, refused.ReturnCode); // SERVFAIL without CD: the signature is bogus
        Assert.Contains(refused.Opt!.Options, o => o.Code == 15 && o.Data.StartsWith("0006", StringComparison.Ordinal)); // EDE 6, DNSSEC Bogus
    }

    [InstalledFact(NsdServer.Binary, NsdServer.Package, UnboundSandbox.Binary, UnboundSandbox.Package, SignedZone.Signer, SignedZone.Package)]
    public async Task A_validated_answer_has_AD_through_NationalDns_only_when_the_client_sets_DO()
    {
        // RFC 6840 §5.8: NationalDns's upstream queries carry no AD bit, so a validating upstream sets AD only with DO.
        var name = $"good.{ValidatingUnboundFixture.Zone}";
        var withDo = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Server.EndPoint, new QueryBuilder { Name = name, Type = 16, EdnsUdpSize = 1232, DnssecOk = true }.Build()))!);
        var withoutDo = WireReply.Read((await DnsTestClient.UdpBytesAsync(_fixture.Server.EndPoint, new QueryBuilder { Id = 2, Name = name, Type = 16, EdnsUdpSize = 1232 }.Build()))!);

        Assert.True(withDo.AuthenticData);
        Assert.Contains(withDo.Answers, r => r.Type == 46); // the RRSIG, asked for with DO
        Assert.False(withoutDo.AuthenticData);
        Assert.DoesNotContain(withoutDo.Answers, r => r.Type == 46);
    }
}
