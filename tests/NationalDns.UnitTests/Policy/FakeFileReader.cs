using System.Collections.Concurrent;

namespace NationalDns.UnitTests.Policy;

/// <summary>Reads files from disk, except those a test has marked unreadable (root ignores chmod, so tests cannot use it).</summary>
internal sealed class FakeFileReader
{
    private readonly ConcurrentDictionary<string, Exception> _failures = new(StringComparer.Ordinal);

    /// <summary>Runs once, inside the next open, after the bytes were taken: a writer racing the reader.</summary>
    public Action<string>? DuringNextRead { get; set; }

    public void Fail(string path, Exception error) => _failures[path] = error;

    public void Heal(string path) => _failures.TryRemove(path, out _);

    public Stream OpenRead(string path)
    {
        if (_failures.TryGetValue(path, out var error))
        {
            throw error;
        }

        var bytes = File.ReadAllBytes(path);
        var hook = DuringNextRead;
        DuringNextRead = null;
        hook?.Invoke(path);
        return new MemoryStream(bytes, writable: false);
    }
}
