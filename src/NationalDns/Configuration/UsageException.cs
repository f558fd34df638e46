namespace NationalDns.Configuration;

/// <summary>A user error (bad option, missing file, port in use): printed as one line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
