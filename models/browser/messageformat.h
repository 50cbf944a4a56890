#pragma once

// How the message detail panel turns bytes into text: as UTF-8 text (invalid bytes shown
// escaped), pretty JSON, a hex dump or base64. Pure functions, safe on any thread.

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace periscope::models {

enum class MessageFormat { Auto, Text, Json, Hex, Base64 };

struct RenderedBytes
{
    MessageFormat format = MessageFormat::Text; // what was used (Auto resolved)
    QString text;
    QString note; // e.g. "not valid JSON: …", "showing the first 1 MiB of 50 MiB"
};

class MessageFormatter final
{
    Q_DECLARE_TR_FUNCTIONS(MessageFormatter)
public:
    // JSON when it parses as an object or array, text when it is valid UTF-8 without
    // control bytes, otherwise hex.
    static MessageFormat detect(const QByteArray &bytes);
    // `limit` bounds the bytes rendered (a hex dump of 50 MB would be 200 MB of text).
    static RenderedBytes render(const QByteArray &bytes, bool isNull, MessageFormat format,
                                qsizetype limit = 1 << 20);
    // UTF-8 with each invalid byte as \xNN.
    static QString escapedText(const QByteArray &bytes);
    static QString hexDump(const QByteArray &bytes);
    static QString formatName(MessageFormat format);
};

} // namespace periscope::models
