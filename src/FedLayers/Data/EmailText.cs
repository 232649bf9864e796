using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FedLayers.Data;

/// <summary>
/// The text a model should see for one raw e-mail (RFC 822 headers and a MIME body): the
/// subject, then the readable body. Multipart bodies are walked (nested too); text/* parts
/// are decoded from quoted-printable or base64 and their charset, HTML is reduced to its
/// text, and everything else (attachments, images) is left out. Whitespace is collapsed to
/// single spaces: the tokenizers split on it anyway.
/// </summary>
public static partial class EmailText
{
    /// <summary>How deep multipart parts may nest before the rest is ignored.</summary>
    private const int MaxDepth = 16;

    private static readonly Encoding Latin1 = Encoding.Latin1;
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The subject and readable body of <paramref name="raw"/> (a whole message, headers first), whitespace collapsed.</summary>
    public static string ForModel(string raw)
    {
        var (headers, body) = SplitEntity(raw.ReplaceLineEndings("\n"));
        var subject = headers.TryGetValue("subject", out var s) ? DecodeEncodedWords(s) : "";
        var text = new StringBuilder(subject);
        AppendBody(headers, body, text, depth: 0);
        return CollapseWhitespace(text.ToString());
    }

    /// <summary>Headers (names lower-cased, folded lines joined, first occurrence wins) and the body after the first blank line.</summary>
    internal static (Dictionary<string, string> Headers, string Body) SplitEntity(string entity)
    {
        int end = entity.StartsWith('\n') ? 0 : entity.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? entity : entity[..end];
        var body = end < 0 ? "" : entity[(end + (end == 0 ? 1 : 2))..];
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var value = new StringBuilder();
        void Flush()
        {
            if (name is not null) headers.TryAdd(name, value.ToString().Trim());
            name = null;
            value.Clear();
        }
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (name is not null) value.Append(' ').Append(line.Trim());
                continue;
            }
            Flush();
            int colon = line.IndexOf(':');
            // Lines that are not "Name: value" (such as the mbox "From " line) are not headers.
            if (colon > 0 && !line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                name = line[..colon].ToLowerInvariant();
                value.Append(line[(colon + 1)..]);
            }
        }
        Flush();
        return (headers, body);
    }

    private static void AppendBody(Dictionary<string, string> headers, string body, StringBuilder text, int depth)
    {
        var (type, parameters) = ParseContentType(headers.GetValueOrDefault("content-type"));
        var disposition = headers.GetValueOrDefault("content-disposition") ?? "";
        if (disposition.TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase)) return;

        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (depth >= MaxDepth) return;
            if (parameters.TryGetValue("boundary", out var boundary) && boundary.Length > 0)
            {
                foreach (var part in MultipartParts(body, boundary))
                {
                    var (partHeaders, partBody) = SplitEntity(part);
                    AppendBody(partHeaders, partBody, text, depth + 1);
                }
                return;
            }
            type = "text/plain"; // a multipart without a boundary: read it as it is
        }
        if (type == "message/rfc822")
        {
            if (depth >= MaxDepth) return;
            var (innerHeaders, innerBody) = SplitEntity(body);
            if (innerHeaders.TryGetValue("subject", out var subject)) text.Append('\n').Append(DecodeEncodedWords(subject));
            AppendBody(innerHeaders, innerBody, text, depth + 1);
            return;
        }
        if (!type.StartsWith("text/", StringComparison.Ordinal)) return;

        var decoded = DecodeTransfer(body, headers.GetValueOrDefault("content-transfer-encoding"), parameters.GetValueOrDefault("charset"));
        // Much spam sends an HTML document as text/plain (or with no Content-Type); text/enriched is tagged too.
        bool markup = type is "text/html" or "text/enriched" or "text/richtext" || HtmlDocumentPattern().IsMatch(decoded);
        text.Append('\n').Append(markup ? HtmlToText(decoded) : decoded);
    }

    /// <summary>The media type (lower case; text/plain when absent) and its parameters (names lower case, values unquoted).</summary>
    internal static (string Type, Dictionary<string, string> Parameters) ParseContentType(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return ("text/plain", parameters);
        int semicolon = header.IndexOf(';');
        var type = (semicolon < 0 ? header : header[..semicolon]).Trim().ToLowerInvariant();
        if (semicolon >= 0)
            foreach (Match m in ParameterPattern().Matches(header, semicolon))
                parameters.TryAdd(m.Groups["name"].Value.ToLowerInvariant(),
                    m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["plain"].Value);
        return (type.Contains('/') ? type : "text/plain", parameters);
    }

    /// <summary>The parts between delimiter lines (two dashes, then the boundary), up to the closing delimiter (the same with two dashes after it) or the end.</summary>
    private static IEnumerable<string> MultipartParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        StringBuilder? part = null;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed == delimiter + "--")
            {
                if (part is not null) yield return part.ToString();
                yield break;
            }
            if (trimmed == delimiter)
            {
                if (part is not null) yield return part.ToString();
                part = new StringBuilder();
                continue;
            }
            part?.Append(line).Append('\n'); // text before the first delimiter is the preamble
        }
        if (part is not null) yield return part.ToString();
    }

    private static string DecodeTransfer(string body, string? transferEncoding, string? charset)
    {
        var encoding = (transferEncoding ?? "").Trim().ToLowerInvariant();
        byte[] bytes;
        if (encoding == "quoted-printable") bytes = DecodeQuotedPrintable(body);
        else if (encoding == "base64") bytes = DecodeBase64(body);
        else return body; // 7bit/8bit text is already characters
        return DecodeBytes(bytes, charset);
    }

    /// <summary>Bytes in the named charset; unknown charsets and invalid UTF-8 are read as Latin-1, which never fails.</summary>
    internal static string DecodeBytes(byte[] bytes, string? charset)
    {
        var encoding = EncodingFor(charset);
        if (encoding is null) return Latin1.GetString(bytes);
        if (encoding.CodePage == Encoding.UTF8.CodePage)
        {
            try { return StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException) { return Latin1.GetString(bytes); }
        }
        return encoding.GetString(bytes);
    }

    private static Encoding? EncodingFor(string? charset)
    {
        var name = (charset ?? "").Trim().Trim('"', '\'');
        if (name.Length == 0) return null;
        try { return Encoding.GetEncoding(name); }
        catch (ArgumentException) { }
        return System.Text.CodePagesEncodingProvider.Instance.GetEncoding(name);
    }

    internal static byte[] DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '=')
            {
                // A soft line break: "=" (maybe followed by stray spaces) at the end of a line.
                int j = i + 1;
                while (j < body.Length && (body[j] == ' ' || body[j] == '\t')) j++;
                if (j == body.Length || body[j] == '\n') { i = j; continue; }
                if (i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
                {
                    bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }
            }
            if (c < 256) bytes.Add((byte)c);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return [.. bytes];
    }

    /// <summary>Base64 with line breaks and stray characters ignored; a damaged tail is dropped rather than failing the message.</summary>
    internal static byte[] DecodeBase64(string body)
    {
        var clean = new StringBuilder(body.Length);
        foreach (char c in body)
        {
            if (c == '=') break; // padding ends the data
            if (char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/') clean.Append(c);
        }
        if (clean.Length % 4 == 1) clean.Length--;
        if (clean.Length % 4 != 0) clean.Append('=', 4 - clean.Length % 4);
        return Convert.FromBase64String(clean.ToString());
    }

    /// <summary>The visible text of an HTML document: comments, scripts and styles dropped, tags removed, entities decoded.</summary>
    public static string HtmlToText(string html)
    {
        var text = CommentPattern().Replace(html, " ");
        text = ScriptOrStylePattern().Replace(text, " ");
        text = TagPattern().Replace(text, " ");
        return CollapseWhitespace(WebUtility.HtmlDecode(text));
    }

    /// <summary>RFC 2047 encoded words (=?charset?Q|B?text?=) as in spam subjects; anything else is left as it is.</summary>
    internal static string DecodeEncodedWords(string header)
    {
        // Whitespace between two adjacent encoded words is not part of the text.
        var joined = AdjacentEncodedWordsPattern().Replace(header, "?==?");
        return EncodedWordPattern().Replace(joined, m =>
        {
            var data = m.Groups["text"].Value;
            try
            {
                var bytes = char.ToUpperInvariant(m.Groups["enc"].Value[0]) == 'B'
                    ? DecodeBase64(data)
                    : DecodeQuotedPrintable(data.Replace('_', ' '));
                return DecodeBytes(bytes, m.Groups["charset"].Value);
            }
            catch (FormatException) { return m.Value; }
        });
    }

    private static string CollapseWhitespace(string text) => WhitespacePattern().Replace(text, " ").Trim();

    [GeneratedRegex(@";\s*(?<name>[A-Za-z0-9_.*-]+)\s*=\s*(?:""(?<quoted>[^""]*)""|(?<plain>[^;\s]*))")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"<(html|body)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlDocumentPattern();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"<(script|style)\b.*?(</\1\s*>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStylePattern();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"=\?(?<charset>[^?*]+)(?:\*[^?]*)?\?(?<enc>[QqBb])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWordPattern();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentEncodedWordsPattern();

    [GeneratedRegex(@"[\s\u00a0]+")]
    private static partial Regex WhitespacePattern();
}
