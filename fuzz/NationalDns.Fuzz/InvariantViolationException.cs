namespace NationalDns.Fuzz;

/// <summary>Something that must hold for every input did not; the message says what, with the values seen.</summary>
internal sealed class InvariantViolationException : Exception
{
    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws with <paramref name="what"/> unless <paramref name="condition"/> holds.</summary>
    public static void ThrowUnless(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantViolationException(what);
        }
    }
}
