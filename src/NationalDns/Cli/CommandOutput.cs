using NationalDns.Configuration;

namespace NationalDns.Cli;

/// <summary>What a command makes (a certificate, a profile) goes to standard output, or to the file its <c>--out</c> names.</summary>
internal static class CommandOutput
{
    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="file"/>, then <paramref name="saved"/> to <paramref name="output"/>;
    /// without a file, the text itself to <paramref name="output"/>. A file that cannot be written is a usage error naming <paramref name="option"/>.
    /// </summary>
    public static int WriteOrSave(TextWriter output, string text, string? file, string option, string saved)
    {
        if (file is null)
        {
            output.Write(text);
            return 0;
        }

        try
        {
            File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot write '{file}': {e.Message}", e);
        }

        output.WriteLine(saved);
        return 0;
    }
}
