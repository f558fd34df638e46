using System.Net;
using System.Text;
using System.Xml;

namespace NationalDns.Profiles;

/// <summary>
/// An Apple configuration profile (<c>.mobileconfig</c>) that sets an iPhone's, iPad's or Mac's system DNS to encrypted
/// DNS: one <c>com.apple.dnsSettings.managed</c> payload whose <c>DNSSettings</c> say DNS over HTTPS (<c>ServerURL</c>)
/// or DNS over TLS (<c>ServerName</c>), optionally with the server's addresses so the device need not resolve its name
/// first. Every profile gets fresh <c>PayloadUUID</c>s, so installing a new one never silently merges with an old one.
/// </summary>
internal sealed record AppleDnsProfile(DnsTransport Transport, string Server, IReadOnlyList<IPAddress> Addresses)
{
    public const string DnsPayloadType = "com.apple.dnsSettings.managed";

    /// <summary>The profile as an XML property list.</summary>
    public string ToPlist(Guid profileId, Guid payloadId)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteDocType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyLists-1.0.dtd", null);
            xml.WriteStartElement("plist");
            xml.WriteAttributeString("version", "1.0");
            xml.WriteStartElement("dict");
            Key(xml, "PayloadContent");
            xml.WriteStartElement("array");
            WriteDnsPayload(xml, payloadId);
            xml.WriteEndElement();
            String(xml, "PayloadDescription", $"Sends this device's DNS queries to NationalDns at {Server} ({Describe()}). Remove the profile to undo.");
            String(xml, "PayloadDisplayName", $"NationalDns DNS ({Server})");
            String(xml, "PayloadIdentifier", $"nationaldns.dns.{profileId}");
            Key(xml, "PayloadRemovalDisallowed");
            xml.WriteStartElement("false");
            xml.WriteEndElement();
            String(xml, "PayloadType", "Configuration");
            String(xml, "PayloadUUID", Uuid(profileId));
            Integer(xml, "PayloadVersion", 1);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return text.Append('\n').ToString();
    }

    private void WriteDnsPayload(XmlWriter xml, Guid payloadId)
    {
        xml.WriteStartElement("dict");
        Key(xml, "DNSSettings");
        xml.WriteStartElement("dict");
        String(xml, "DNSProtocol", Transport == DnsTransport.Https ? "HTTPS" : "TLS");
        String(xml, Transport == DnsTransport.Https ? "ServerURL" : "ServerName", Server);
        if (Addresses.Count > 0)
        {
            Key(xml, "ServerAddresses");
            xml.WriteStartElement("array");
            foreach (var address in Addresses)
            {
                xml.WriteElementString("string", address.ToString());
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        String(xml, "PayloadDisplayName", $"Encrypted DNS ({Describe()})");
        String(xml, "PayloadIdentifier", $"{DnsPayloadType}.{payloadId}");
        String(xml, "PayloadType", DnsPayloadType);
        String(xml, "PayloadUUID", Uuid(payloadId));
        Integer(xml, "PayloadVersion", 1);
        xml.WriteEndElement();
    }

    private string Describe() => Transport == DnsTransport.Https ? "DNS over HTTPS" : "DNS over TLS";

    private static string Uuid(Guid id) => id.ToString("D").ToUpperInvariant();

    private static void Key(XmlWriter xml, string key) => xml.WriteElementString("key", key);

    private static void String(XmlWriter xml, string key, string value)
    {
        Key(xml, key);
        xml.WriteElementString("string", value);
    }

    private static void Integer(XmlWriter xml, string key, int value)
    {
        Key(xml, key);
        xml.WriteElementString("integer", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>How a device reaches the server in a DNS profile.</summary>
internal enum DnsTransport
{
    /// <summary>DNS over HTTPS (RFC 8484): a URL.</summary>
    Https,

    /// <summary>DNS over TLS (RFC 7858): a host name, port 853.</summary>
    Tls,
}
