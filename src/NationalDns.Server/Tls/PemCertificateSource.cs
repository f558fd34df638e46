using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace NationalDns.Server.Tls;

/// <summary>
/// A certificate and key from PEM files, re-read when they change, so a renewal (certbot, cert-manager) reaches the next
/// handshake without a restart. The files are looked at on a handshake, at most once per check interval. A changed pair
/// that does not load (caught halfway through being written, a key that does not match) is logged and the certificate
/// in use stays; the next check tries again.
/// </summary>
public sealed partial class PemCertificateSource : IServerCertificateSource
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Loaded _current;
    private long _nextCheck;
    private int _checking;
    private string? _lastError;

    /// <summary>Loads the pair now.</summary>
    /// <exception cref="CertificateFileException">A file is missing, unreadable, or not a certificate and its matching key.</exception>
    public PemCertificateSource(string certificateFile, string keyFile, TimeSpan checkInterval, TimeProvider time, ILogger logger)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _checkInterval = checkInterval;
        _time = time;
        _logger = logger;
        var certificatePem = Read(certificateFile);
        var keyPem = Read(keyFile);
        _current = Load(certificatePem, keyPem) ?? throw new CertificateFileException(
            $"'{certificateFile}' and '{keyFile}' are not a PEM certificate and its private key: {_lastError}");
        _nextCheck = _time.GetTimestamp() + Ticks(checkInterval);
    }

    /// <summary>The certificate presented now.</summary>
    public X509Certificate2 Certificate => _current.Context.TargetCertificate;

    /// <inheritdoc />
    public SslStreamCertificateContext GetCertificate(string? serverName)
    {
        var now = _time.GetTimestamp();
        if (now >= Volatile.Read(ref _nextCheck) && Interlocked.Exchange(ref _checking, 1) == 0)
        {
            try
            {
                ReloadIfChanged();
            }
            finally
            {
                Volatile.Write(ref _nextCheck, now + Ticks(_checkInterval));
                Volatile.Write(ref _checking, 0);
            }
        }

        return _current.Context;
    }

    private void ReloadIfChanged()
    {
        string certificatePem, keyPem;
        try
        {
            certificatePem = Read(_certificateFile);
            keyPem = Read(_keyFile);
        }
        catch (CertificateFileException e)
        {
            ReloadFailed(_logger, e.Message);
            return;
        }

        var current = _current;
        if (certificatePem == current.CertificatePem && keyPem == current.KeyPem)
        {
            return;
        }

        if (Load(certificatePem, keyPem) is not { } loaded)
        {
            ReloadFailed(_logger, $"'{_certificateFile}' and '{_keyFile}' changed but do not load: {_lastError}; still presenting the previous certificate");
            return;
        }

        _current = loaded;
        var certificate = loaded.Context.TargetCertificate;
        Reloaded(_logger, certificate.Subject, certificate.NotAfter.ToUniversalTime(), SpkiPin.Of(certificate));
    }

    private Loaded? Load(string certificatePem, string keyPem)
    {
        try
        {
            var leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certificatePem);
            var chain = new X509Certificate2Collection();
            foreach (var certificate in all.Skip(1))
            {
                chain.Add(certificate); // fullchain.pem: the intermediates after the leaf go out with it
            }

            return new Loaded(SslStreamCertificateContext.Create(leaf, chain, offline: true), certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            _lastError = e.Message;
            return null;
        }
        catch (ArgumentException e)
        {
            _lastError = e.Message;
            return null;
        }
    }

    private static string Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException($"cannot read '{file}': {e.Message}", e);
        }
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    private sealed record Loaded(SslStreamCertificateContext Context, string CertificatePem, string KeyPem);

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:u}, SPKI pin sha256 {Pin}")]
    private static partial void Reloaded(ILogger logger, string subject, DateTime notAfter, string pin);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "TLS certificate not reloaded: {Reason}")]
    private static partial void ReloadFailed(ILogger logger, string reason);
}
