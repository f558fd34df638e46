namespace NationalDns.Server.Tls;

/// <summary>A certificate or key file that cannot be read or used; the message names the file and says why, in one line.</summary>
public sealed class CertificateFileException : Exception
{
    public CertificateFileException()
    {
    }

    public CertificateFileException(string message)
        : base(message)
    {
    }

    public CertificateFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
