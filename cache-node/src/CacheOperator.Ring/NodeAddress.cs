using System.Globalization;

namespace CacheOperator.Ring;

/// <summary>A node's memcached endpoint, written <c>host:port</c> (<c>[v6]:port</c> for an IPv6 literal).</summary>
/// <param name="Host">DNS name or IP literal, without brackets.</param>
/// <param name="Port">TCP port, 1..65535.</param>
public readonly record struct NodeAddress(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out NodeAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "address is empty";
            return false;
        }

        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{text}' has no port (expected host:port)";
            return false;
        }

        string host = text[..colon];
        string portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"'{text}' has an IPv6 host without brackets (expected [host]:port)";
            return false;
        }

        if (host.Length == 0)
        {
            error = $"'{text}' has an empty host";
            return false;
        }

        foreach (char c in host)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '[' or ']' or '/')
            {
                error = $"'{text}' has an invalid character in the host";
                return false;
            }
        }

        if (portText.Length == 0 || portText.Length > 5 || portText[0] == '0' || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
        {
            error = $"'{text}' has a bad port (expected 1..65535)";
            return false;
        }

        address = new NodeAddress(host, port);
        error = "";
        return true;
    }

    /// <summary>Parses <c>host:port</c> or throws <see cref="FormatException"/>.</summary>
    public static NodeAddress Parse(string text) =>
        TryParse(text, out var address, out string error) ? address : throw new FormatException(error);

    /// <inheritdoc />
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
