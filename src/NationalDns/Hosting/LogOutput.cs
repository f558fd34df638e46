using Serilog.Debugging;

namespace NationalDns.Hosting;

/// <summary>
/// Where a <see cref="BatchedTextSink"/> writes: standard output, or a file appended to as Serilog's file sink does
/// (the folder made if missing, others may read while it is written, no byte order mark, and nothing more once it
/// holds <see cref="FileSizeLimit"/> bytes, so a runaway log cannot fill the disk).
/// </summary>
internal sealed class LogOutput : IDisposable
{
    /// <summary>Serilog's file sink's default limit, which <c>--log-file</c> has always had.</summary>
    public const long FileSizeLimit = 1L << 30;

    private readonly string _name;
    private readonly long? _limit;
    private readonly bool _owned;

    private LogOutput(string name, Stream stream, bool owned, long? limit)
    {
        _name = name;
        Stream = stream;
        _owned = owned;
        _limit = limit;
    }

    public Stream Stream { get; }

    /// <summary>True once a file has reached its size limit (checked before each batch: the last batch may pass it).</summary>
    public bool IsFull => _limit is { } limit && Stream.Position >= limit;

    /// <summary>The process's standard output, written around <see cref="Console.Out"/> and never closed.</summary>
    public static LogOutput StandardOutput() => new("standard output", Console.OpenStandardOutput(), owned: false, limit: null);

    /// <summary>
    /// <paramref name="path"/>, appended to; when it cannot be opened the reason goes to Serilog's SelfLog and nothing is
    /// written, as Serilog's file sink does.
    /// </summary>
    public static LogOutput File(string path, long limit = FileSizeLimit)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            return new(path, new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1), owned: true, limit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            SelfLog.WriteLine("Unable to open the log file {0}: {1}", path, e);
            return new(path, Stream.Null, owned: false, limit: 0);
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            Stream.Dispose();
        }
    }

    public override string ToString() => _name;
}
