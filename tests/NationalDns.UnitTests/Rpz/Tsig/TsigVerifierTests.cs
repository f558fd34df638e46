using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.UnitTests.Rpz.Tsig;

public class TsigVerifierTests
{
    [Theory]
    [InlineData("hmac-sha256")]
    [InlineData("hmac-sha512")]
    [InlineData("hmac-sha1")]
    public void Digs_signed_query_and_nameds_signed_answer_are_valid(string algorithm)
    {
        var vectors = BindVectors.For(algorithm);
        var verifier = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt));

        var request = verifier.VerifyRequest(vectors.SoaQuery);
        var answer = verifier.ForAnswer(request.Mac).Verify(vectors.SoaResponse);

        Assert.Equal(TsigStatus.Valid, request.Status);
        Assert.Equal(TsigStatus.Valid, answer.Status);
    }

    [Fact]
    public void Every_message_of_nameds_five_message_axfr_chains_to_the_one_before()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var verifier = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt));
        var answer = verifier.ForAnswer(verifier.VerifyRequest(vectors.AxfrQuery).Mac);

        Assert.Equal(5, vectors.AxfrResponses.Length);
        Assert.All(vectors.AxfrResponses, message => Assert.Equal(TsigStatus.Valid, answer.Verify(message).Status));
        Assert.True(answer.EndsSigned);
    }

    [Fact]
    public void Axfr_messages_out_of_order_fail_the_chain()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var verifier = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt));
        var answer = verifier.ForAnswer(verifier.VerifyRequest(vectors.AxfrQuery).Mac);

        Assert.True(answer.Verify(vectors.AxfrResponses[0]).IsValid);
        var skipped = answer.Verify(vectors.AxfrResponses[2]);

        Assert.Equal((TsigStatus.Rejected, TsigError.BadSig), (skipped.Status, skipped.Error));
    }

    [Fact]
    public void A_changed_byte_is_a_bad_signature()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var query = vectors.SoaQuery.ToArray();
        query[12 + 1] ^= 0x20; // "rpz" → "Rpz": the same name to DNS, not to the MAC

        var check = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt)).VerifyRequest(query);

        Assert.Equal((TsigStatus.Rejected, TsigError.BadSig), (check.Status, check.Error));
    }

    [Fact]
    public void Another_secret_under_the_same_name_is_a_bad_signature()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var wrong = TsigKeyReader.Parse("nd-feed:hmac-sha256:" + Convert.ToBase64String(new byte[32]));

        var check = new TsigVerifier(wrong, new FakeTimeProvider(vectors.SignedAt)).VerifyRequest(vectors.SoaQuery);

        Assert.Equal((TsigStatus.Rejected, TsigError.BadSig), (check.Status, check.Error));
        Assert.Contains("bad MAC for key nd-feed", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other-key:hmac-sha256")]
    [InlineData("nd-feed:hmac-sha512")]
    public void Another_key_name_or_algorithm_is_a_bad_key(string nameAndAlgorithm)
    {
        var vectors = BindVectors.For("hmac-sha256");
        var other = TsigKeyReader.Parse(nameAndAlgorithm + ":" + Convert.ToBase64String(new byte[32]));

        var check = new TsigVerifier(other, new FakeTimeProvider(vectors.SignedAt)).VerifyRequest(vectors.SoaQuery);

        Assert.Equal((TsigStatus.Rejected, TsigError.BadKey), (check.Status, check.Error));
        Assert.Contains("signed with key nd-feed (hmac-sha256)", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, TsigStatus.Valid)]
    [InlineData(301, TsigStatus.Rejected)]
    [InlineData(-300, TsigStatus.Valid)]
    [InlineData(-301, TsigStatus.Rejected)]
    public void The_time_signed_must_be_within_the_fudge_of_this_clock(int skewSeconds, TsigStatus expected)
    {
        var vectors = BindVectors.For("hmac-sha256");
        var clock = new FakeTimeProvider(vectors.SignedAt.AddSeconds(skewSeconds));

        var check = new TsigVerifier(vectors.Key, clock).VerifyRequest(vectors.SoaQuery);

        Assert.Equal(expected, check.Status);
        Assert.Equal(expected == TsigStatus.Valid ? TsigError.NoError : TsigError.BadTime, check.Error);
    }

    [Fact]
    public void An_unsigned_message_is_reported_as_such()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var unsigned = Unsigned(vectors.SoaQuery);

        var check = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt)).VerifyRequest(unsigned);

        Assert.Equal(TsigStatus.NotSigned, check.Status);
        Assert.Equal("not signed (TSIG key nd-feed required)", check.Reason);
    }

    [Fact]
    public void An_answer_whose_first_message_is_unsigned_is_rejected()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var verifier = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt));
        var answer = verifier.ForAnswer(verifier.VerifyRequest(vectors.SoaQuery).Mac);

        var check = answer.Verify(Unsigned(vectors.SoaResponse));

        Assert.Equal(TsigStatus.NotSigned, check.Status);
        Assert.False(answer.EndsSigned);
    }

    [Fact]
    public void A_truncated_mac_is_refused_as_badtrunc()
    {
        var vectors = BindVectors.For("hmac-sha256");
        var signer = new TsigSigner(vectors.Key, new FakeTimeProvider(vectors.SignedAt));
        var (signed, mac) = signer.SignRequest(Unsigned(vectors.SoaQuery));
        Assert.True(TsigRecord.TryRead(signed, out var record));
        var truncated = Truncate(signed, record!.Start, mac.Length / 2);

        var check = new TsigVerifier(vectors.Key, new FakeTimeProvider(vectors.SignedAt)).VerifyRequest(truncated);

        Assert.Equal((TsigStatus.Rejected, TsigError.BadTrunc), (check.Status, check.Error));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(100)]
    public void A_cut_short_signed_message_is_malformed_never_an_exception(int cut)
    {
        var vectors = BindVectors.For("hmac-sha256");

        var check = new TsigVerifier(vectors.Key, TimeProvider.System).VerifyRequest(vectors.SoaQuery.AsSpan(0, vectors.SoaQuery.Length - cut));

        Assert.Equal(TsigStatus.Malformed, check.Status);
    }

    // The message without its TSIG RR, as it was before it was signed.
    internal static byte[] Unsigned(byte[] signed)
    {
        Assert.True(TsigRecord.TryRead(signed, out var record));
        var unsigned = signed.AsSpan(0, record!.Start).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(unsigned.AsSpan(10)) - 1));
        return unsigned;
    }

    // The same message with its MAC cut to its first bytes (MAC size, RDLENGTH and the data after the MAC moved up).
    private static byte[] Truncate(byte[] signed, int start, int macSize)
    {
        var offset = start;
        while (signed[offset] != 0)
        {
            offset += signed[offset] + 1;
        }

        var rdlength = offset + 1 + 8;
        var algorithm = rdlength + 2;
        var macSizeAt = algorithm;
        while (signed[macSizeAt] != 0)
        {
            macSizeAt += signed[macSizeAt] + 1;
        }

        macSizeAt += 1 + 8;
        var fullSize = BinaryPrimitives.ReadUInt16BigEndian(signed.AsSpan(macSizeAt));
        var result = signed.AsSpan(0, macSizeAt + 2 + macSize).ToArray().Concat(signed.AsSpan(macSizeAt + 2 + fullSize).ToArray()).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(macSizeAt), (ushort)macSize);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(rdlength), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(rdlength)) - (fullSize - macSize)));
        return result;
    }
}
