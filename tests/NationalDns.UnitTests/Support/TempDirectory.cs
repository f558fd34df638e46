namespace NationalDns.UnitTests.Support;

/// <summary>A fresh folder under the system temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nationaldns-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The full path of a file or folder inside, written with '/' separators.</summary>
    public string Path(string relative) => System.IO.Path.Join(Root, relative);

    /// <summary>Writes list lines to a file inside, creating folders as needed; returns its full path.</summary>
    public string Write(string relative, params string[] lines)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
