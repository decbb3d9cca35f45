namespace CacheOperator.Protocol;

/// <summary>Why a meta command's flags were rejected.</summary>
public enum MetaFlagError : byte
{
    None,
    /// <summary>A flag the command does not take.</summary>
    Invalid,
    /// <summary>A flag given twice.</summary>
    Duplicate,
}
