using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using CacheOperator.Protocol;
using CacheOperator.Server.Observability;
using CacheOperator.Storage;

namespace CacheOperator.Server.Session;

/// <summary>
/// The meta protocol: mg, ms, md, ma, mn, me. Flags are validated per command first, then mapped onto the
/// store's request structs; return flags are echoed in the order the client gave them.
/// </summary>
public sealed partial class MemcachedSession
{
    /// <summary>memcached caps the opaque token's length.</summary>
    private const int MaxOpaqueLength = 31;

    /// <summary>
    /// memcached 1.6.18 parses one flag set for every meta command and ignores what a command has no use for;
    /// E (set the CAS) is added as newer memcached has it.
    /// </summary>
    private static ReadOnlySpan<byte> MetaFlagSet => "bcfhklqstuvCDFIJLMNOPRT"u8;

    /// <summary>
    /// md's flags. memcached 1.6.18, our byte-for-byte reference, refuses E (explicit CAS) and x (keep the item,
    /// drop its value), which later releases accept; we refuse them too, so clients see the reference's answers.
    /// </summary>
    private static ReadOnlySpan<byte> MetaDeleteFlagSet => "bcfhklqstuvCDFIJLMNOPRT"u8;

    /// <summary>Echoes the requested return flags in request order; without an item only k and O.</summary>
    internal static void WriteReturnFlags(IBufferWriter<byte> output, ReadOnlySpan<byte> flagText,
        ReadOnlySpan<byte> rawKey, bool base64, in MetaFacts facts)
    {
        foreach (var token in new KeyEnumerator(flagText))
        {
            var letter = token[0];
            switch (letter)
            {
                case (byte)'O':
                    ReplyWriter.WriteFlag(output, letter, token[1..]);
                    continue;
                case (byte)'k':
                    ReplyWriter.WriteFlag(output, letter, rawKey);
                    if (base64)
                        output.Write(" b"u8);
                    continue;
            }

            switch (letter)
            {
                case (byte)'c' when facts.HasCas:
                    ReplyWriter.WriteFlag(output, letter, facts.Cas);
                    break;
                case (byte)'t' when facts.HasTimeToLive:
                    ReplyWriter.WriteFlag(output, letter, facts.TimeToLive);
                    break;
                case (byte)'f' when facts.HasItem:
                    ReplyWriter.WriteFlag(output, letter, (ulong)facts.Flags);
                    break;
                case (byte)'h' when facts.HasItem:
                    ReplyWriter.WriteFlag(output, letter, facts.FetchedBefore ? 1L : 0L);
                    break;
                case (byte)'l' when facts.HasItem:
                    ReplyWriter.WriteFlag(output, letter, facts.SecondsSinceAccess);
                    break;
                case (byte)'s' when facts.HasItem:
                    ReplyWriter.WriteFlag(output, letter, (long)facts.Size);
                    break;
            }
        }
    }

    /// <summary>
    /// memcached's flag pre-parse, common to all meta commands: every numeric token must parse whatever the
    /// command; the error reply, or empty when the tokens are valid.
    /// </summary>
    private static ReadOnlySpan<byte> CheckMetaTokens(scoped in MetaFlags flags)
    {
        if (flags.Token((byte)'O').Length > MaxOpaqueLength)
            return Replies.OpaqueTooLong;
        if (!TryMetaInt(flags, (byte)'N', out _) || !TryMetaInt(flags, (byte)'T', out _) || !TryMetaInt(flags, (byte)'R', out _)
            || !TryMetaUInt64(flags, (byte)'C', out _))
            return Replies.BadToken;
        if (flags.Has((byte)'F') && !ProtocolNumbers.TryParseFlags(flags.Token((byte)'F'), out _))
            return Replies.BadCommandLineFormat;
        if (flags.Has((byte)'M') && flags.Token((byte)'M').Length != 1)
            return Replies.MetaModeLength;
        if (!TryMetaUInt64(flags, (byte)'D', out _))
            return Replies.InvalidDeltaValue;
        if (!TryMetaUInt64(flags, (byte)'J', out _))
            return Replies.InvalidInitialValue;
        return default;
    }

    private void ExecuteMetaGet(ref RequestLine line, PipeWriter output)
    {
        if (!TryStartMeta(ref line, output, CommandType.MetaGet, MetaFlagSet, out var flags))
            return;
        var options = GetOptions.Default;
        TryMetaInt(flags, (byte)'T', out var touch);
        TryMetaInt(flags, (byte)'N', out var vivify);
        TryMetaInt(flags, (byte)'R', out var recache);

        options.Touch = flags.Has((byte)'T');
        options.TouchExptime = touch;
        options.Vivify = flags.Has((byte)'N');
        options.VivifyExptime = vivify;
        options.RecacheBelowSeconds = flags.Has((byte)'R') ? recache : null;
        options.NoBump = flags.Has((byte)'u');

        if (!TryResolveKey(line[1], flags.Has((byte)'b'), _keyBuffer, out var key))
        {
            MetaFail(output, CommandType.MetaGet, Replies.KeyDecodeError);
            return;
        }

        var reader = new MetaGetReader(output, line[1], line.TextFrom(2), flags.Has((byte)'b'), flags.Has((byte)'v'));
        if (_store.TryGet(key, options, ref reader))
        {
            _metrics.RecordCommand(CommandType.MetaGet, CommandResult.Hit);
            return;
        }

        if (!flags.Has((byte)'q'))
            WriteMetaStatus(output, "EN"u8, ref line, flags.Has((byte)'b'), default);
        _metrics.RecordCommand(CommandType.MetaGet, CommandResult.Miss);
    }

    private CommandOutcome ExecuteMetaSet(ref RequestLine line, in ReadOnlySequence<byte> payload, PipeWriter output,
        out SequencePosition next)
    {
        next = payload.Start;
        if (line.Count < 2)
        {
            MetaFail(output, CommandType.MetaSet, Replies.Error);
            return CommandOutcome.Done;
        }

        if (line.Count < 3 || line[1].Length > CacheStore.MaxKeyLength
            || !ProtocolNumbers.TryParseInt32(line[2], out var length) || length < 0 || length > int.MaxValue - 2)
        {
            MetaFail(output, CommandType.MetaSet, Replies.BadCommandLineFormat);
            return CommandOutcome.Done;
        }

        // From here on the data block's length is known, so an error skips it rather than reading it as commands.
        var rawKey = line[1];
        var error = ValidateMetaSet(ref line, out var flags, out var request);
        ReadOnlySpan<byte> key = default;
        if (error.IsEmpty && !TryResolveKey(rawKey, flags.Has((byte)'b'), _keyBuffer, out key))
            error = Replies.KeyDecodeError;
        if (error.IsEmpty && length > MaxValueLength(key.Length, request.Flags))
        {
            error = Replies.TooLarge;
            if (request.Mode == StoreMode.Set)
                _store.Delete(key, default);
        }

        if (!error.IsEmpty)
        {
            MetaFail(output, CommandType.MetaSet, error);
            _swallowRemaining = length + 2L;
            return CommandOutcome.Done;
        }

        if (payload.Length < length + 2L)
            return CommandOutcome.NeedMoreData;

        var data = payload.Slice(0, length);
        var terminator = payload.Slice(length, 2);
        next = terminator.End;
        if (!IsCrLf(terminator))
        {
            MetaFail(output, CommandType.MetaSet, Replies.BadDataChunk);
            return CommandOutcome.Done;
        }

        var result = _store.Store(key, request, data, out var cas);
        var recorded = result switch
        {
            StoreResult.Stored => CommandResult.Stored,
            StoreResult.NotStored => CommandResult.NotStored,
            StoreResult.Exists => CommandResult.Exists,
            StoreResult.NotFound => CommandResult.NotFound,
            _ => CommandResult.ServerError,
        };
        switch (result)
        {
            case StoreResult.Stored:
                if (!flags.Has((byte)'q'))
                    WriteMetaStatus(output, "HD"u8, ref line, flags.Has((byte)'b'), new MetaFacts { HasCas = true, Cas = cas });
                break;
            case StoreResult.NotStored:
                WriteMetaStatus(output, "NS"u8, ref line, flags.Has((byte)'b'), default);
                break;
            case StoreResult.Exists:
                WriteMetaStatus(output, "EX"u8, ref line, flags.Has((byte)'b'), default);
                break;
            case StoreResult.NotFound:
                WriteMetaStatus(output, "NF"u8, ref line, flags.Has((byte)'b'), default);
                break;
            case StoreResult.TooLarge:
                output.Write(Replies.TooLarge);
                break;
            default:
                output.Write(Replies.OutOfMemory);
                break;
        }

        _metrics.RecordCommand(CommandType.MetaSet, recorded);
        return CommandOutcome.Done;
    }

    /// <summary>Checks ms's flags and builds its store request; the error reply, or empty when valid.</summary>
    private static ReadOnlySpan<byte> ValidateMetaSet(ref RequestLine line, out MetaFlags flags, out StoreRequest request)
    {
        request = new StoreRequest(StoreMode.Set, 0, 0);
        var flagError = MetaFlags.TryParse(line, 3, MetaFlagSet, out flags);
        if (flagError != MetaFlagError.None)
            return flagError == MetaFlagError.Duplicate ? Replies.DuplicateFlag : Replies.InvalidFlag;
        var tokenError = CheckMetaTokens(flags);
        if (!tokenError.IsEmpty)
            return tokenError;
        TryMetaInt(flags, (byte)'T', out var exptime);
        TryMetaInt(flags, (byte)'N', out var vivify);
        TryMetaUInt64(flags, (byte)'C', out var compareCas);
        uint clientFlags = 0;
        if (flags.Has((byte)'F'))
            ProtocolNumbers.TryParseFlags(flags.Token((byte)'F'), out clientFlags);

        var mode = StoreMode.Set;
        if (flags.Has((byte)'M'))
        {
            switch (flags.Token((byte)'M')[0])
            {
                case (byte)'E': mode = StoreMode.Add; break;
                case (byte)'A': mode = StoreMode.Append; break;
                case (byte)'P': mode = StoreMode.Prepend; break;
                case (byte)'R': mode = StoreMode.Replace; break;
                case (byte)'S': mode = StoreMode.Set; break;
                default: return Replies.InvalidMetaSetMode;
            }
        }

        request = new StoreRequest(mode, clientFlags, exptime)
        {
            CompareCas = compareCas,
            Invalidate = flags.Has((byte)'I'),
            Vivify = flags.Has((byte)'N'),
            VivifyExptime = vivify,
        };
        return default;
    }

    private void ExecuteMetaDelete(ref RequestLine line, PipeWriter output)
    {
        if (!TryStartMeta(ref line, output, CommandType.MetaDelete, MetaDeleteFlagSet, out var flags))
            return;
        TryMetaUInt64(flags, (byte)'C', out var compareCas);
        TryMetaInt(flags, (byte)'T', out var exptime);

        if (!TryResolveKey(line[1], flags.Has((byte)'b'), _keyBuffer, out var key))
        {
            MetaFail(output, CommandType.MetaDelete, Replies.KeyDecodeError);
            return;
        }

        var request = new DeleteRequest
        {
            CompareCas = compareCas,
            Invalidate = flags.Has((byte)'I'),
            InvalidateExptime = flags.Has((byte)'T') ? exptime : null,
        };
        var base64 = flags.Has((byte)'b');
        switch (_store.Delete(key, request))
        {
            case DeleteResult.Deleted:
                if (!flags.Has((byte)'q'))
                    WriteMetaStatus(output, "HD"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaDelete, CommandResult.Deleted);
                break;
            case DeleteResult.NotFound:
                WriteMetaStatus(output, "NF"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaDelete, CommandResult.NotFound);
                break;
            default:
                WriteMetaStatus(output, "EX"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaDelete, CommandResult.Exists);
                break;
        }
    }

    private void ExecuteMetaArithmetic(ref RequestLine line, PipeWriter output)
    {
        if (!TryStartMeta(ref line, output, CommandType.MetaArithmetic, MetaFlagSet, out var flags))
            return;
        TryMetaInt(flags, (byte)'N', out var vivify);
        TryMetaInt(flags, (byte)'T', out var exptime);
        TryMetaUInt64(flags, (byte)'C', out var compareCas);
        TryMetaUInt64(flags, (byte)'J', out var initial);
        ulong delta = 1;
        if (flags.Has((byte)'D'))
            ProtocolNumbers.TryParseUInt64(flags.Token((byte)'D'), out delta);

        var increment = true;
        if (flags.Has((byte)'M'))
        {
            var mode = flags.Token((byte)'M');
            if (mode[0] is not ((byte)'I' or (byte)'+' or (byte)'D' or (byte)'-'))
            {
                MetaFail(output, CommandType.MetaArithmetic, Replies.InvalidMetaArithmeticMode);
                return;
            }

            increment = mode[0] is (byte)'I' or (byte)'+';
        }

        if (!TryResolveKey(line[1], flags.Has((byte)'b'), _keyBuffer, out var key))
        {
            MetaFail(output, CommandType.MetaArithmetic, Replies.KeyDecodeError);
            return;
        }

        var request = new ArithmeticRequest(increment, delta)
        {
            CompareCas = compareCas,
            Vivify = flags.Has((byte)'N'),
            VivifyExptime = vivify,
            InitialValue = initial,
            Touch = flags.Has((byte)'T'),
            TouchExptime = exptime,
        };
        var base64 = flags.Has((byte)'b');
        // memcached answers an auto-vivifying ma even under q; only the existence check tells the two apart.
        var quiet = flags.Has((byte)'q');
        if (quiet && request.Vivify)
        {
            var presence = default(PresenceReader);
            quiet = _store.TryGet(key, new GetOptions { NoBump = true }, ref presence);
        }

        switch (_store.Arithmetic(key, request, out var outcome))
        {
            case ArithmeticResult.Ok:
                var facts = new MetaFacts { HasCas = true, Cas = outcome.Cas, HasTimeToLive = true, TimeToLive = outcome.TimeToLive };
                if (quiet)
                {
                    // q silences a successful ma whether or not it asked for the value.
                }
                else if (flags.Has((byte)'v'))
                {
                    Span<byte> digits = stackalloc byte[20];
                    Utf8Formatter.TryFormat(outcome.Value, digits, out var count);
                    ReplyWriter.WriteMetaValueHeader(output, count);
                    WriteReturnFlags(output, line.TextFrom(2), line[1], base64, facts);
                    output.Write(Replies.CrLf);
                    output.Write(digits[..count]);
                    output.Write(Replies.CrLf);
                }
                else
                {
                    WriteMetaStatus(output, "HD"u8, ref line, base64, facts);
                }

                _metrics.RecordCommand(CommandType.MetaArithmetic, CommandResult.Hit);
                break;
            case ArithmeticResult.NotFound:
                WriteMetaStatus(output, "NF"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaArithmetic, CommandResult.NotFound);
                break;
            case ArithmeticResult.NonNumeric:
                MetaFail(output, CommandType.MetaArithmetic, Replies.NonNumeric);
                break;
            case ArithmeticResult.Exists:
                WriteMetaStatus(output, "EX"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaArithmetic, CommandResult.Exists);
                break;
            default:
                WriteMetaStatus(output, "NS"u8, ref line, base64, default);
                _metrics.RecordCommand(CommandType.MetaArithmetic, CommandResult.NotStored);
                break;
        }
    }

    private void ExecuteMetaDebug(ref RequestLine line, PipeWriter output)
    {
        if (line.Count < 2 || line[1].Length > CacheStore.MaxKeyLength)
        {
            MetaFail(output, CommandType.MetaDebug, Replies.BadCommandLineFormat);
            return;
        }

        var reader = new MetaDebugReader(output);
        var options = new GetOptions { NoBump = true };
        var hit = _store.TryGet(line[1], options, ref reader);
        if (!hit)
            output.Write(Replies.MetaMiss);
        _metrics.RecordCommand(CommandType.MetaDebug, hit ? CommandResult.Hit : CommandResult.Miss);
    }

    /// <summary>The checks every key-taking meta command but ms starts with; false when an error was written.</summary>
    private bool TryStartMeta(ref RequestLine line, PipeWriter output, CommandType kind, ReadOnlySpan<byte> allowed,
        out MetaFlags flags)
    {
        flags = default;
        if (line.Count < 2)
        {
            MetaFail(output, kind, Replies.Error);
            return false;
        }

        if (line[1].Length > CacheStore.MaxKeyLength)
        {
            MetaFail(output, kind, Replies.BadCommandLineFormat);
            return false;
        }

        var error = MetaFlags.TryParse(line, 2, allowed, out flags);
        if (error != MetaFlagError.None)
        {
            // mg answers as ms does; md and ma share one message for both faults.
            var reply = kind != CommandType.MetaGet ? Replies.InvalidOrDuplicateFlag
                : error == MetaFlagError.Duplicate ? Replies.DuplicateFlag : Replies.InvalidFlag;
            MetaFail(output, kind, reply);
            return false;
        }

        var tokenError = CheckMetaTokens(flags);
        if (!tokenError.IsEmpty)
        {
            MetaFail(output, kind, kind == CommandType.MetaGet ? tokenError : Replies.InvalidOrDuplicateFlag);
            return false;
        }

        return true;
    }

    /// <summary>A status code ("HD", "NF"...), then the echoed return flags, then the line end.</summary>
    private static void WriteMetaStatus(PipeWriter output, ReadOnlySpan<byte> status, ref RequestLine line, bool base64,
        in MetaFacts facts)
    {
        output.Write(status);
        var firstFlag = line.Command == CommandType.MetaSet ? 3 : 2;
        WriteReturnFlags(output, line.TextFrom(firstFlag), line[1], base64, facts);
        output.Write(Replies.CrLf);
    }

    private void MetaFail(PipeWriter output, CommandType kind, ReadOnlySpan<byte> reply)
    {
        output.Write(reply);
        _metrics.RecordCommand(kind, CommandResult.ClientError);
    }

    /// <summary>The key to look up: the token itself, or its base64 decoding (b flag) into <paramref name="decoded"/>.</summary>
    private static bool TryResolveKey(ReadOnlySpan<byte> raw, bool base64, Span<byte> decoded, out ReadOnlySpan<byte> key)
    {
        key = raw;
        if (!base64)
            return true;
        var status = Base64.DecodeFromUtf8(raw, decoded, out var consumed, out var written);
        key = decoded[..written];
        return status == OperationStatus.Done && consumed == raw.Length && written > 0;
    }

    private static bool TryMetaInt(in MetaFlags flags, byte letter, out int value)
    {
        value = 0;
        return !flags.Has(letter) || ProtocolNumbers.TryParseInt32(flags.Token(letter), out value);
    }

    private static bool TryMetaUInt64(in MetaFlags flags, byte letter, out ulong value)
    {
        value = 0;
        return !flags.Has(letter) || ProtocolNumbers.TryParseUInt64(flags.Token(letter), out value);
    }
}
