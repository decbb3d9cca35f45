using System.Text;

namespace CacheOperator.Kubernetes;

/// <summary>Accumulates escaped query parameters, skipping null or empty values.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _text = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return this;
        _text.Append(_text.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public override string ToString() => _text.ToString();
}
