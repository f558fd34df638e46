using System.Net;
using NationalDns.Server.Admission;

namespace NationalDns.Server.Rpz;

/// <summary><c>--allow-transfer</c>: the same CIDR matching as <c>--allow-client</c>, over its own list.</summary>
public sealed class TransferAccess
{
    private readonly ClientAdmission _allowed;

    public TransferAccess(RpzOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = new ClientAdmission(new AdmissionOptions { AllowClients = options.AllowTransfer }, time);
    }

    public bool IsAllowed(IPAddress client) => _allowed.IsAllowed(client);
}
