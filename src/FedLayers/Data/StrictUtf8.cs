using System.Text;

namespace FedLayers.Data;

/// <summary>Reads a text file that must be UTF-8: invalid bytes are an error naming the file and line,
/// not silently replaced characters in a training text.</summary>
internal static class StrictUtf8
{
    private static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text, without a leading byte order mark.</summary>
    /// <exception cref="UserInputException">The file is not valid UTF-8.</exception>
    public static string ReadAllText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var text = Encoding.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text; // a byte order mark is not part of the text
        }
        catch (DecoderFallbackException e)
        {
            int at = Math.Clamp(e.Index, 0, bytes.Length);
            int line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
            throw new UserInputException($"{path}:{line}: not valid UTF-8 (byte 0x{bytes[at]:X2} at offset {at}); expected UTF-8 text");
        }
    }
}
