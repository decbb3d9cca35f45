namespace CacheOperator.Controllers;

/// <summary>The operators of a label selector requirement.</summary>
public enum SelectorOperator
{
    /// <summary><c>key=value</c> or <c>key==value</c>.</summary>
    Equals,
    /// <summary><c>key!=value</c>: also true when the label is absent, as in Kubernetes.</summary>
    NotEquals,
    /// <summary><c>key in (a,b)</c>.</summary>
    In,
    /// <summary><c>key notin (a,b)</c>: also true when the label is absent.</summary>
    NotIn,
    /// <summary><c>key</c>.</summary>
    Exists,
    /// <summary><c>!key</c>.</summary>
    DoesNotExist,
}
