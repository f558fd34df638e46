using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;
using NationalDns.Core.Policy.Lists;
using NationalDns.Http;

namespace NationalDns.UnitTests.Http;

public sealed class ListFileEditorTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nationaldns-editor-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_file_whose_format_is_forced_is_read_in_that_format_as_the_loader_reads_it()
    {
        // Recognised by content, both lines are rules (native lists take hosts lines too); forced to hosts format, the
        // bare name is a bad line and only the hosts line is a rule, which is what the server serves.
        File.WriteAllText(_path, "0.0.0.0 a.example\nb.example\n");
        var forced = new BlocklistFile(_path, "hosts:lists/x.txt") { Format = ListFormat.Hosts };

        var rules = ListFileEditor.RulesIn(forced, BlockAction.NxDomain);

        Assert.Equal(["a.example"], rules.Select(r => r.Pattern));
        Assert.Equal(["a.example", "b.example"], ListFileEditor.RulesIn(forced with { Format = null }, BlockAction.NxDomain).Select(r => r.Pattern));
    }
}
