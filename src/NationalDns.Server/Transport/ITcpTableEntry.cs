using System.Net;

namespace NationalDns.Server.Transport;

/// <summary>What a stream connection tells its <see cref="TcpConnectionTable"/> about itself.</summary>
public interface ITcpTableEntry
{
    /// <summary>The client's address; connections are counted per address.</summary>
    IPAddress ClientAddress { get; }

    /// <summary>True while no answer is being worked on or written: closing the connection loses nothing.</summary>
    bool IsIdle { get; }

    /// <summary>When the last complete query was read or answer written (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    long LastActivity { get; }

    /// <summary>Closes the connection at once; it then calls <see cref="TcpConnectionTable.Remove"/>.</summary>
    void Close();

    /// <summary>Makes the connection close once it has been idle for <paramref name="timeout"/> since its last activity.</summary>
    void ShortenIdleTimeout(TimeSpan timeout);
}

/// <summary>What <see cref="TcpConnectionTable.TryAdmit"/> decided.</summary>
public enum TcpAdmission
{
    /// <summary>The connection is in the table.</summary>
    Admitted,

    /// <summary>Its address already holds <see cref="TcpConnectionTable.PerClient"/> connections.</summary>
    ClientAtLimit,

    /// <summary>The table is full and every connection in it is busy.</summary>
    TableFull,
}
