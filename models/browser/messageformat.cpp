#include "browser/messageformat.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QStringDecoder>

namespace periscope::models {

namespace {

bool validUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes); // decoding happens on conversion
    return !decoder.hasError();
}

bool hasControlBytes(const QByteArray &bytes)
{
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && u != '\n' && u != '\r' && u != '\t')
            return true;
    }
    return false;
}

QString sizeText(qsizetype bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

MessageFormat MessageFormatter::detect(const QByteArray &bytes)
{
    const QByteArray trimmed = bytes.left(64).trimmed();
    if (!trimmed.isEmpty() && (trimmed.front() == '{' || trimmed.front() == '[')) {
        QJsonParseError error;
        QJsonDocument::fromJson(bytes, &error);
        if (error.error == QJsonParseError::NoError)
            return MessageFormat::Json;
    }
    if (validUtf8(bytes) && !hasControlBytes(bytes))
        return MessageFormat::Text;
    return MessageFormat::Hex;
}

QString MessageFormatter::escapedText(const QByteArray &bytes)
{
    // Decode valid runs; an invalid lead or continuation byte becomes \xNN.
    QString out;
    out.reserve(bytes.size());
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        int length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = length > 0 && i + length <= n;
        for (int k = 1; ok && k < length; ++k)
            ok = (static_cast<unsigned char>(bytes[i + k]) & 0xc0) == 0x80;
        if (ok && length > 1) {
            const QString decoded = QString::fromUtf8(bytes.constData() + i, length);
            ok = !decoded.contains(QChar::ReplacementCharacter);
            if (ok)
                out += decoded;
        } else if (ok) {
            out += QLatin1Char(char(c));
        }
        if (!ok) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
            length = 1;
        }
        i += length;
    }
    return out;
}

QString MessageFormatter::hexDump(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size() * 4 + 16);
    for (qsizetype row = 0; row < bytes.size(); row += 16) {
        out += QStringLiteral("%1  ").arg(row, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype k = 0; k < 16; ++k) {
            if (row + k < bytes.size()) {
                const auto c = static_cast<unsigned char>(bytes[row + k]);
                out += QStringLiteral("%1 ").arg(uint(c), 2, 16, QLatin1Char('0'));
                ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(char(c)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (k == 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1Char(' ') + ascii + QLatin1Char('\n');
    }
    return out;
}

RenderedBytes MessageFormatter::render(const QByteArray &bytes, bool isNull, MessageFormat format,
                                       qsizetype limit)
{
    RenderedBytes out;
    if (isNull) {
        out.text = QStringLiteral("null");
        out.note = tr("null (no value at all, not an empty one)");
        return out;
    }
    if (format == MessageFormat::Auto)
        format = bytes.size() > limit ? MessageFormat::Text : detect(bytes);
    out.format = format;
    const bool cut = bytes.size() > limit;
    const QByteArray shown = cut ? bytes.left(limit) : bytes;
    switch (format) {
    case MessageFormat::Json: {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error == QJsonParseError::NoError) {
            out.text = QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
        } else {
            out.text = escapedText(shown);
            out.note =
                tr("not valid JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset);
        }
        break;
    }
    case MessageFormat::Hex:
        out.text = hexDump(shown);
        break;
    case MessageFormat::Base64:
        out.text = QString::fromLatin1(shown.toBase64());
        break;
    case MessageFormat::Auto:
    case MessageFormat::Text:
        out.text = escapedText(shown);
        break;
    }
    if (bytes.isEmpty() && out.note.isEmpty())
        out.note = tr("empty (zero bytes, not null)");
    if (cut && format != MessageFormat::Json)
        out.note = tr("showing the first %1 of %2").arg(sizeText(limit), sizeText(bytes.size()));
    return out;
}

QString MessageFormatter::formatName(MessageFormat format)
{
    switch (format) {
    case MessageFormat::Auto:
        return tr("Auto");
    case MessageFormat::Text:
        return tr("Text");
    case MessageFormat::Json:
        return tr("JSON");
    case MessageFormat::Hex:
        return tr("Hex");
    case MessageFormat::Base64:
        return tr("Base64");
    }
    return {};
}

} // namespace periscope::models
