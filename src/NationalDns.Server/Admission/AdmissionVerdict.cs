namespace NationalDns.Server.Admission;

/// <summary>What <see cref="ClientAdmission"/> decided for one query.</summary>
public enum AdmissionVerdict
{
    /// <summary>Serve it.</summary>
    Admit,

    /// <summary>Outside the allow list: answer REFUSED.</summary>
    Refuse,

    /// <summary>Over the rate limit: answer with an empty TC=1 response.</summary>
    Truncate,

    /// <summary>Over the rate limit: send nothing.</summary>
    Drop,
}
