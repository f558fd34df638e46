namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// What tells a changed file from an unchanged one without reading it: length, last write and creation time
/// (of the link target, for a link). .NET does not expose the inode; the creation time is the closest
/// identity it gives, and a save-by-rename also brings a new write time. The permissions are part of it so that a
/// list made unreadable (<c>chmod 000</c>), which changes neither, is read again and its failure reported.
/// </summary>
internal readonly record struct FileSignature(long Length, DateTime LastWriteUtc, DateTime CreatedUtc, UnixFileMode Mode)
{
    /// <summary>The signature now, or null when the file is gone.</summary>
    public static FileSignature? Of(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        }

        return info is FileInfo { Exists: true } file
            ? new FileSignature(file.Length, file.LastWriteTimeUtc, file.CreationTimeUtc, OperatingSystem.IsWindows() ? default : file.UnixFileMode)
            : null;
    }
}
