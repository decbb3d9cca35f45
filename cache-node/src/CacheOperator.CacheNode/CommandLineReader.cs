using System.Globalization;

namespace CacheOperator.CacheNode;

/// <summary>
/// The argument grammar both roles share: "-x value", "--name value", "--name=value", and "-v"/"-vv" for
/// verbosity. Each role only says what its options mean.
/// </summary>
internal static class CommandLineReader
{
    /// <summary>
    /// Walks the arguments; <paramref name="option"/> gets each option's name and a function that takes its
    /// value, and returns false for a name it does not know (reported as an unknown option).
    /// </summary>
    public static void Read(IReadOnlyList<string> args, Action<int> addVerbosity, Func<string, Func<string>, bool> option)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inlineValue = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            if (arg.Length > 1 && arg[0] == '-' && arg.AsSpan(1).IndexOfAnyExcept('v') < 0)
            {
                addVerbosity(arg.Length - 1);
                continue;
            }

            var name = arg;
            string Value()
            {
                if (inlineValue is not null)
                    return inlineValue;
                if (i + 1 >= args.Count)
                    throw new CommandLineException($"option {name} needs a value");
                return args[++i];
            }

            if (!option(arg, Value))
                throw new CommandLineException($"unknown option '{args[i]}'");
        }
    }

    /// <summary>A whole number within bounds, or a message naming the option or variable it came from.</summary>
    public static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
            throw new CommandLineException($"{name}: '{value}' is not a whole number between {min} and {max}");
        return parsed;
    }

    public static int ParsePort(string name, string value) => ParseInt(name, value, 0, 65535);
}
