using Microsoft.Extensions.Logging;

namespace NationalDns.Server.Tls;

/// <summary>
/// Opens the encrypted listeners' certificate from <see cref="TlsOptions"/>: the PEM files given, or the self-signed one
/// in the data folder (made first if needed). Logs, in one line, what is presented and its SPKI pin.
/// </summary>
public static partial class ServerCertificates
{
    /// <exception cref="CertificateFileException">The files cannot be read or used, or the data folder cannot be written.</exception>
    public static PemCertificateSource Open(TlsOptions options, TimeProvider time, ILogger<PemCertificateSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        string origin;
        string certificateFile, keyFile;
        if (options.CertificateFile is { } file)
        {
            (certificateFile, keyFile) = (file, options.KeyFile ?? throw new ArgumentException("A certificate file needs its key file.", nameof(options)));
            origin = $"from {file}";
        }
        else
        {
            bool created;
            (certificateFile, keyFile, created) = SelfSignedCertificate.Ensure(options.DataDirectory, options.Names, time);
            origin = created ? $"self-signed, made now and kept in {certificateFile}" : $"self-signed, kept in {certificateFile}";
        }

        var source = new PemCertificateSource(certificateFile, keyFile, options.ReloadCheckInterval, time, logger);
        var certificate = source.Certificate;
        var names = string.Join(", ", SelfSignedCertificate.NamesOf(certificate).Order(StringComparer.Ordinal));
        Presenting(logger, names, origin, certificate.NotAfter.ToUniversalTime(), SpkiPin.Of(certificate));
        return source;
    }

    [LoggerMessage(EventId = 93, Level = LogLevel.Information, Message = "TLS certificate for {Names} ({Origin}), valid until {NotAfter:u}; SPKI pin sha256 {Pin} (for kdig +tls-pin)")]
    private static partial void Presenting(ILogger logger, string names, string origin, DateTime notAfter, string pin);
}
