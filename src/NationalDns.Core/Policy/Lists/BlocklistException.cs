namespace NationalDns.Core.Policy.Lists;

/// <summary>A configured blocklist is missing or unreadable at startup; the message is one line fit for the console.</summary>
public sealed class BlocklistException : Exception
{
    public BlocklistException()
    {
    }

    public BlocklistException(string message)
        : base(message)
    {
    }

    public BlocklistException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
