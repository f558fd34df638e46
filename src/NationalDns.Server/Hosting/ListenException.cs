namespace NationalDns.Server.Hosting;

/// <summary>A listen endpoint could not be bound (port in use, address not on this machine, no permission).</summary>
public sealed class ListenException : Exception
{
    public ListenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ListenException()
    {
    }

    public ListenException(string message)
        : base(message)
    {
    }
}
