using FedLayers.Data;

namespace FedLayers.Tests.Data;

public class EmailTextTests
{
    [Fact]
    public void PlainMessageGivesSubjectAndBodyWithoutOtherHeaders()
    {
        var raw = "From someone@example.org  Thu Aug 22 13:17:22 2002\nReceived: from a\n\tby b\nSubject: Lunch\n  on Friday\nFrom: Ann <ann@example.org>\n\nShall we meet\nat noon?\n";
        Assert.Equal("Lunch on Friday Shall we meet at noon?", EmailText.ForModel(raw));
    }

    [Fact]
    public void QuotedPrintableIsDecodedWithItsCharset()
    {
        var raw = "Subject: Caf=E9?\r\nContent-Type: text/plain; charset=\"ISO-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
                  "Un caf=E9 cr=E8me, soft =\r\nline break, 3 =3D three\r\n";
        Assert.Equal("Caf=E9? Un café crème, soft line break, 3 = three", EmailText.ForModel(raw));
    }

    [Fact]
    public void Base64IsDecodedAsUtf8()
    {
        var body = Convert.ToBase64String("Grüße aus Köln\nzweite Zeile"u8.ToArray());
        var raw = $"Subject: Hallo\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: BASE64\n\n{body[..10]}\n{body[10..]}\n";
        Assert.Equal("Hallo Grüße aus Köln zweite Zeile", EmailText.ForModel(raw));
    }

    [Fact]
    public void Latin1BytesLabelledUtf8OrUnknownCharsetFallBackToLatin1()
    {
        var qp = "Content-Transfer-Encoding: quoted-printable\n\nna=EFve";
        Assert.Equal("naïve", EmailText.ForModel("Content-Type: text/plain; charset=utf-8\n" + qp));
        Assert.Equal("naïve", EmailText.ForModel("Content-Type: text/plain; charset=x-no-such-charset\n" + qp));
        Assert.Equal("naïve", EmailText.ForModel("Content-Type: text/plain\n" + qp));
    }

    [Fact]
    public void MultipartAlternativeKeepsTextOfBothPartsWithHtmlReducedToText()
    {
        var raw = """
            Subject: Offer
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="==b1=="

            This is a multi-part message in MIME format.
            --==b1==
            Content-Type: text/plain; charset=us-ascii

            Cheap pills
            --==b1==
            Content-Type: text/html; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            <html><head><style>p { color: red; }</style><script>alert("x")</script></head>
            <body><!-- hidden --><p>Buy&nbsp;now &amp; save <b>50%</b></p><br>Fa=E7ade &eacute;t&eacute;</body></html>
            --==b1==--
            epilogue that is not shown
            """;
        Assert.Equal("Offer Cheap pills Buy now & save 50% Façade été", EmailText.ForModel(raw));
    }

    [Fact]
    public void NestedMultipartIsWalkedAndAttachmentsAndImagesAreSkipped()
    {
        var attachment = Convert.ToBase64String("secret attachment text"u8.ToArray());
        var raw = $"""
            Subject: Report
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain

            See the report.
            --inner
            Content-Type: text/html

            <p>See the <i>report</i>.</p>
            --inner--
            --outer
            Content-Type: text/plain; name="report.txt"
            Content-Disposition: attachment; filename="report.txt"
            Content-Transfer-Encoding: base64

            {attachment}
            --outer
            Content-Type: image/gif
            Content-Transfer-Encoding: base64

            R0lGODlhAQABAAAAACw=
            --outer--
            """;
        Assert.Equal("Report See the report. See the report .", EmailText.ForModel(raw));
    }

    [Fact]
    public void EncodedWordsInTheSubjectAreDecoded()
    {
        var raw = "Subject: =?iso-8859-1?Q?Gr=FC=DFe_aus?= =?utf-8?B?S8O2bG4=?= heute\n\nx";
        Assert.Equal("Grüße ausKöln heute x", EmailText.ForModel(raw));
    }

    [Fact]
    public void DamagedEncodingsDoNotThrow()
    {
        var raw = "Subject: broken\nContent-Type: multipart/mixed; boundary=never-closed\n\n--never-closed\nContent-Transfer-Encoding: base64\n\nSGVsbG8gd29y!!bGQ\n";
        Assert.Equal("broken Hello world", EmailText.ForModel(raw));
        Assert.Equal("x =ZZ y", EmailText.ForModel("Content-Transfer-Encoding: quoted-printable\n\nx =ZZ y"));
        Assert.Equal("", EmailText.ForModel(""));
    }

    [Fact]
    public void HtmlDocumentSentAsPlainTextIsReducedToText()
    {
        var raw = "Subject: Deal\n\n<HTML><BODY bgColor=#C0C0C0><FONT size=4>Thank you&nbsp;for your interest!</FONT><BR></BODY></HTML>\n";
        Assert.Equal("Deal Thank you for your interest!", EmailText.ForModel(raw));
        Assert.Equal("Use <Limit POST> in .htaccess", EmailText.ForModel("\nUse <Limit POST> in .htaccess"));
    }
}
