using System.Globalization;
using System.Text;

namespace CacheOperator.Node.IntegrationTests.Fuzz;

/// <summary>
/// Hostile input for the protocol parser, reproducible from a seed: random bytes, well-formed commands, and
/// well-formed commands with a few mutations (bytes flipped, inserted, deleted or duplicated, numbers swapped for
/// edge values, stray line ends, truncation). Keys stay in the "fz" namespace, and nothing that empties or
/// shrinks the whole cache (flush_all, cache_memlimit, shutdown) is ever generated, so a well-behaved client
/// running beside it can expect its own items to stay put.
/// </summary>
public sealed class FuzzInputGenerator(int seed)
{
    private static readonly string[] EdgeNumbers =
        ["-1", "0", "1", "250", "251", "4294967295", "4294967296", "18446744073709551615", "18446744073709551616", "99999999999999999999999", "abc", "", "1048577", "-9223372036854775808"];

    private static readonly string[] TextCommands =
        ["set", "add", "replace", "append", "prepend", "cas", "get", "gets", "gat", "gats", "touch", "delete", "incr", "decr", "stats", "version", "verbosity", "quit"];

    private const string MetaFlagLetters = "bcfhklOqstvNRTEIDJMSCFPLxz";

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 20 => RandomBytes(_random.Next(1, 512)),
            < 45 => ValidCommand(),
            < 80 => Mutate(ValidCommand()),
            < 92 => Pipeline(),
            _ => EdgeShape(),
        };
    }

    private byte[] Pipeline()
    {
        var batch = new List<byte>();
        var count = _random.Next(2, 12);
        for (var i = 0; i < count; i++)
        {
            batch.AddRange(_random.Next(3) == 0 ? Mutate(ValidCommand()) : ValidCommand());
        }

        return [.. batch];
    }

    private byte[] ValidCommand()
    {
        var key = Key();
        if (_random.Next(3) == 0)
        {
            return Ascii(MetaCommand(key));
        }

        var command = TextCommands[_random.Next(TextCommands.Length)];
        return command switch
        {
            "set" or "add" or "replace" or "append" or "prepend" => StorageCommand(command, key, cas: null),
            "cas" => StorageCommand(command, key, cas: _random.NextInt64(0, 100000)),
            "get" or "gets" => Ascii($"{command} {Keys()}\r\n"),
            "gat" or "gats" => Ascii($"{command} {_random.Next(0, 1000)} {Keys()}\r\n"),
            "touch" => Ascii($"touch {key} {_random.Next(0, 1000)}{NoReply()}\r\n"),
            "delete" => Ascii($"delete {key}{NoReply()}\r\n"),
            "incr" or "decr" => Ascii($"{command} {key} {_random.Next(0, 1000)}{NoReply()}\r\n"),
            "stats" => Ascii(_random.Next(2) == 0 ? "stats\r\n" : "stats reset\r\n"),
            "verbosity" => Ascii("verbosity 0\r\n"),
            "quit" => _random.Next(10) == 0 ? Ascii("quit\r\n") : Ascii("version\r\n"),
            _ => Ascii("version\r\n"),
        };
    }

    private byte[] StorageCommand(string command, string key, long? cas)
    {
        var value = RandomBytes(ValueLength());
        var header = cas is { } unique
            ? $"{command} {key} {_random.Next(0, 65536)} {_random.Next(0, 3600)} {value.Length} {unique}{NoReply()}\r\n"
            : $"{command} {key} {_random.Next(0, 65536)} {_random.Next(0, 3600)} {value.Length}{NoReply()}\r\n";
        return [.. Ascii(header), .. value, (byte)'\r', (byte)'\n'];
    }

    private string MetaCommand(string key)
    {
        var flags = new StringBuilder();
        var count = _random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            var letter = MetaFlagLetters[_random.Next(MetaFlagLetters.Length)];
            flags.Append(' ').Append(letter);
            if (_random.Next(2) == 0)
            {
                flags.Append(_random.Next(0, 100).ToString(CultureInfo.InvariantCulture));
            }
        }

        switch (_random.Next(6))
        {
            case 0:
                var length = _random.Next(0, 64);
                var value = Encoding.Latin1.GetString(RandomBytes(length));
                return $"ms {key} {length}{flags}\r\n{value}\r\n";
            case 1:
                return $"md {key}{flags}\r\n";
            case 2:
                return $"ma {key}{flags}\r\n";
            case 3:
                return "mn\r\n";
            case 4:
                return $"me {key}\r\n";
            default:
                return $"mg {key}{flags}\r\n";
        }
    }

    private byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var mutations = _random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(8))
            {
                case 0:
                    bytes[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    bytes.InsertRange(at, RandomBytes(_random.Next(1, 16)));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(_random.Next(1, 16), bytes.Count - at));
                    break;
                case 3:
                    var length = Math.Min(_random.Next(1, 32), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 4:
                    ReplaceNumber(bytes);
                    break;
                case 5:
                    bytes.InsertRange(at, _random.Next(3) switch { 0 => "\r\n"u8.ToArray(), 1 => "\n"u8.ToArray(), _ => [0] });
                    break;
                case 6:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Ascii(new string(' ', _random.Next(1, 40))));
                    break;
            }
        }

        return [.. bytes];
    }

    private void ReplaceNumber(List<byte> bytes)
    {
        var digits = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToList();
        if (digits.Count == 0)
        {
            return;
        }

        var start = digits[_random.Next(digits.Count)];
        var end = start;
        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Ascii(EdgeNumbers[_random.Next(EdgeNumbers.Length)]));
    }

    private byte[] EdgeShape() => _random.Next(6) switch
    {
        0 => Ascii(new string('x', _random.Next(1000, 12000))),
        1 => Ascii("get " + string.Join(' ', Enumerable.Range(0, _random.Next(100, 3000)).Select(i => "fz" + (i % 97).ToString(CultureInfo.InvariantCulture))) + "\r\n"),
        2 => Ascii($"set {Key()} 0 0 {EdgeNumbers[_random.Next(EdgeNumbers.Length)]}\r\n"),
        3 => Ascii($"mg {new string('k', _random.Next(240, 600))} v\r\n"),
        4 => Ascii(string.Concat(Enumerable.Repeat("\r\n", _random.Next(1, 200)))),
        _ => Ascii($"ms {Key()} {_random.Next(0, 2048)} T{_random.Next(0, 100)}\r\n"),
    };

    private int ValueLength() => _random.Next(10) == 0 ? _random.Next(0, 16384) : _random.Next(0, 256);

    private string Key() => "fz" + _random.Next(0, 1000).ToString(CultureInfo.InvariantCulture);

    private string Keys() => string.Join(' ', Enumerable.Range(0, _random.Next(1, 8)).Select(_ => Key()));

    private string NoReply() => _random.Next(4) == 0 ? " noreply" : "";

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
