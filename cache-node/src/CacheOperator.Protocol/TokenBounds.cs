using System.Runtime.CompilerServices;

namespace CacheOperator.Protocol;

/// <summary>Start and length of each token, packed as (start &lt;&lt; 32 | length), stored inline so parsing allocates nothing.</summary>
[InlineArray(RequestLine.MaxTokens)]
internal struct TokenBounds
{
    private long _element;
}
