using System.Runtime.InteropServices;

namespace NationalDns.Core.Policy.Lists;

/// <summary>
/// Tells a list file from everything else a folder can hold. Only a regular file, or a link that ends at one, is a list:
/// opening a FIFO for reading waits for a writer forever, a device can be endless, and a link loop never resolves.
/// .NET reports FIFOs, sockets and devices as ordinary files, so on Linux the file type comes from <c>statx(2)</c>,
/// whose result layout is the same on every architecture.
/// </summary>
internal static partial class ListEntryKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int StatxBufferSize = 256;
    private const int ModeOffset = 28; // stx_mode, after stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int NoEntry = 2;       // ENOENT: a dangling link
    private const int TooManyLinks = 40; // ELOOP: a link loop

    /// <summary>Why <paramref name="path"/> is not a list file (following links); null when it is a regular file or gone.</summary>
    public static string? WhyNotAList(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null; // elsewhere .NET's own view (a file) has to do
        }

        var stat = new byte[StatxBufferSize];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxType, stat);
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28): .NET's own view has to do
        }

        if (result != 0)
        {
            return Marshal.GetLastPInvokeError() switch
            {
                NoEntry => null,
                TooManyLinks => "a symbolic link loop",
                var errno => $"not readable (error {errno})",
            };
        }

        return (BitConverter.ToUInt16(stat, ModeOffset) & TypeMask) switch
        {
            Regular => null,
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x4000 => "a folder",
            0x6000 => "a block device",
            0xC000 => "a socket",
            var other => $"a special file (type {other >> 12})",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
