using System.Net;
using NationalDns.Core.Rpz.Tsig;
using NationalDns.Server.Admission;

namespace NationalDns.Server.Rpz;

/// <summary>
/// Who may transfer the published zone: <c>--allow-transfer</c> (the same CIDR matching as <c>--allow-client</c>, over
/// its own list) and, with <c>--tsig-key</c>, a request signed with that key; the key also signs the answers.
/// </summary>
public sealed class TransferAccess
{
    private readonly ClientAdmission _allowed;

    public TransferAccess(RpzOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = new ClientAdmission(new AdmissionOptions { AllowClients = options.AllowTransfer }, time);
        if (options.Key is { } key)
        {
            Verifier = new TsigVerifier(key, time);
            Signer = new TsigSigner(key, time);
        }
    }

    /// <summary>Checks requests' signatures; null when no key is configured and none is needed.</summary>
    public TsigVerifier? Verifier { get; }

    /// <summary>Signs answers to signed requests; null when no key is configured.</summary>
    public TsigSigner? Signer { get; }

    public bool IsAllowed(IPAddress client) => _allowed.IsAllowed(client);
}
