namespace NationalDns.IntegrationTests.Encrypted;

/// <summary>
/// Tests of the DoH endpoint over HttpClient: a fresh <see cref="EncryptedServer"/> for each test and a client that
/// trusts its certificate by the logged pin.
/// </summary>
public abstract class PinnedDohTests : IAsyncLifetime
{
    internal EncryptedServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EncryptedServer.StartAsync();
        Http = Server.PinnedHttpClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
