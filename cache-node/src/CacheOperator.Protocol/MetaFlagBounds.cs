using System.Runtime.CompilerServices;

namespace CacheOperator.Protocol;

/// <summary>Per flag letter, where its token sits in the line, packed as (start &lt;&lt; 32 | length).</summary>
[InlineArray(MetaFlags.LetterCount)]
internal struct MetaFlagBounds
{
    private long _element;
}
