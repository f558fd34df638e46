using NationalDns.Core.Rpz.Tsig;

namespace NationalDns.IntegrationTests.Support;

/// <summary>BIND's <c>tsig-keygen</c>: a fresh key file, as an operator makes one, read the way <c>--tsig-key-file</c> reads it.</summary>
internal static class TsigKeygen
{
    public const string Binary = "/usr/sbin/tsig-keygen";

    public const string Package = "bind9";

    /// <summary>Writes <c>tsig-keygen -a ALGORITHM NAME</c>'s output to <paramref name="path"/>.</summary>
    public static async Task<TsigKey> WriteAsync(string path, string name, string algorithm = "hmac-sha256")
    {
        var (code, output, error) = await ProgramRun.RunAsync(Binary, "-a", algorithm, name);
        Assert.True(code == 0, error);
        await File.WriteAllTextAsync(path, output);
        return TsigKeyReader.ParseKeyFile(output, path);
    }
}
