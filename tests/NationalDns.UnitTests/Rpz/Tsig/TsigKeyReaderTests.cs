using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.UnitTests.Rpz.Tsig;

public class TsigKeyReaderTests
{
    // What `tsig-keygen -a hmac-sha256 nd-feed` printed.
    private const string KeygenOutput = """
        key "nd-feed" {
        	algorithm hmac-sha256;
        	secret "aphARVqqOsSgI9IK9y6KZFao1HojqPB9VKFEliNelFM=";
        };
        """;

    [Fact]
    public void Tsig_keygens_output_is_a_key()
    {
        var key = TsigKeyReader.ParseKeyFile(KeygenOutput, "feed.key");

        Assert.Equal(("nd-feed", "hmac-sha256"), (key.Name, key.Algorithm.Name));
        Assert.Equal(Convert.FromBase64String("aphARVqqOsSgI9IK9y6KZFao1HojqPB9VKFEliNelFM="), key.Secret);
    }

    [Fact]
    public void A_key_file_may_have_comments_and_one_line_layout()
    {
        var key = TsigKeyReader.ParseKeyFile("# feed key\n// rotated monthly\nkey Feed.Key. { algorithm HMAC-SHA512; secret \"AAAA\"; }; /* end */\n", "feed.key");

        Assert.Equal(("feed.key", "hmac-sha512"), (key.Name, key.Algorithm.Name));
    }

    [Fact]
    public void A_secret_holding_two_slashes_is_not_cut_at_them_as_a_comment()
    {
        // One tsig-keygen secret in about a hundred holds "//"; only outside quotes does it start a comment.
        const string secret = "ap//RVqqOsSgI9IK9y6KZFao1HojqPB9VKFEliNelFM=";
        var key = TsigKeyReader.ParseKeyFile($"key \"nd-feed\" {{ // the feed's key\n algorithm hmac-sha256;\n secret \"{secret}\"; # rotated\n}};\n", "feed.key");

        Assert.Equal(Convert.FromBase64String(secret), key.Secret);
    }

    [Fact]
    public void Name_algorithm_secret_on_the_command_line_is_the_same_key()
    {
        var key = TsigKeyReader.Parse("nd-feed:hmac-sha256:aphARVqqOsSgI9IK9y6KZFao1HojqPB9VKFEliNelFM=");

        Assert.Equal(TsigKeyReader.ParseKeyFile(KeygenOutput, "f").Secret, key.Secret);
        Assert.Equal("nd-feed (hmac-sha256)", key.ToString());
    }

    [Theory]
    [InlineData("nd-feed:hmac-sha256", "'nd-feed:hmac-sha256:…' is not NAME:ALGORITHM:SECRET (e.g. feed-key:hmac-sha256:BASE64)")]
    [InlineData("nd-feed:hmac-md5:AAAA", "unknown algorithm 'hmac-md5' (known: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512)")]
    [InlineData("nd-feed:hmac-sha256:not base64!", "the secret of key 'nd-feed' is not base64 (tsig-keygen prints one)")]
    public void A_bad_option_value_is_one_line_without_the_secret(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TsigKeyReader.Parse(text));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain("base64!", error.Message.Replace("not base64 (", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "feed.key: no key clause (key \"NAME\" { algorithm hmac-sha256; secret \"BASE64\"; };), as tsig-keygen writes")]
    [InlineData("key \"a\" { algorithm hmac-sha256; secret \"AAAA\"; };\nkey \"b\" { algorithm hmac-sha256; secret \"AAAA\"; };", "feed.key:2: a second key; give one key per file")]
    [InlineData("\n\nkey \"a\" { algorithm hmac-sha256; };", "feed.key:3: key \"a\" has no secret")]
    [InlineData("key \"a\" {\n algorithm hmac-sha999;\n secret \"AAAA\"; };", "feed.key:1: unknown algorithm 'hmac-sha999' (known: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512)")]
    [InlineData("key \"a\" { algorithm hmac-sha256; secret \"AAAA\"; owner me; };", "feed.key:1: unknown statement 'owner' in key \"a\"")]
    public void A_bad_key_file_names_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TsigKeyReader.ParseKeyFile(text, "feed.key"));

        Assert.Equal(expected, error.Message);
    }
}
