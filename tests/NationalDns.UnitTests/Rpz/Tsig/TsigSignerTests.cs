using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.UnitTests.Rpz.Tsig;

public class TsigSignerTests
{
    [Theory]
    [InlineData("hmac-sha256")]
    [InlineData("hmac-sha512")]
    [InlineData("hmac-sha1")]
    public void Signing_digs_query_at_digs_time_gives_digs_bytes(string algorithm)
    {
        var vectors = BindVectors.For(algorithm);
        var signer = new TsigSigner(vectors.Key, new FakeTimeProvider(vectors.SignedAt));

        var (signed, _) = signer.SignRequest(TsigVerifierTests.Unsigned(vectors.SoaQuery));

        Assert.Equal(Convert.ToHexString(vectors.SoaQuery), Convert.ToHexString(signed));
    }

    [Fact]
    public void Signing_nameds_axfr_messages_in_turn_gives_nameds_bytes()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var clock = new FakeTimeProvider(vectors.SignedAt);
        var request = new TsigVerifier(vectors.Key, clock).VerifyRequest(vectors.AxfrQuery);
        var answer = new TsigSigner(vectors.Key, clock).ForAnswer(request.Mac);

        var signed = vectors.AxfrResponses.Select(message => Convert.ToHexString(answer.Sign(TsigVerifierTests.Unsigned(message)))).ToArray();

        Assert.Equal(vectors.AxfrResponses.Select(Convert.ToHexString), signed);
    }

    [Fact]
    public void What_one_side_signs_the_other_verifies()
    {
        var key = TsigKeyReader.Parse("feed:hmac-sha512:" + Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()));
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var vectors = BindVectors.For("hmac-sha256");
        var (request, mac) = new TsigSigner(key, clock).SignRequest(TsigVerifierTests.Unsigned(vectors.AxfrQuery));
        var verifier = new TsigVerifier(key, clock);
        var check = verifier.VerifyRequest(request);
        var signer = new TsigSigner(key, clock).ForAnswer(check.Mac);
        var answer = verifier.ForAnswer(mac);

        var results = vectors.AxfrResponses.Select(m => answer.Verify(signer.Sign(TsigVerifierTests.Unsigned(m))).Status).ToArray();

        Assert.True(check.IsValid);
        Assert.All(results, status => Assert.Equal(TsigStatus.Valid, status));
    }

    [Fact]
    public void A_badtime_answer_carries_the_requests_time_and_this_clock_and_verifies_as_badtime()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var late = new FakeTimeProvider(vectors.SignedAt.AddHours(1));
        var check = new TsigVerifier(vectors.Key, late).VerifyRequest(vectors.SoaQuery);

        var answer = new TsigSigner(vectors.Key, late).ForAnswer(check.Mac).SignBadTime(TsigVerifierTests.Unsigned(vectors.SoaResponse), vectors.SignedAt.ToUnixTimeSeconds());
        var seen = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt)).ForAnswer(check.Mac).Verify(answer);

        Assert.Equal(TsigError.BadTime, check.Error);
        Assert.Equal((TsigStatus.Rejected, TsigError.BadTime), (seen.Status, seen.Error));
    }
}
