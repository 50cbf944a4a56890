#include "messageimport.h"

#include "messagejson.h"

#include <QCoreApplication>
#include <QFile>

namespace periscope::client {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::client::MessageImport", text);
}
} // namespace

Result<QList<OutgoingMessage>> readJsonLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result<QList<OutgoingMessage>> r;
        r.error = {ClientError::Kind::InvalidRequest,
                   tr("cannot read %1: %2").arg(path, file.errorString()), false};
        return r;
    }
    return parseJsonLines(file.readAll());
}

Result<QList<OutgoingMessage>> parseJsonLines(const QByteArray &text)
{
    Result<QList<OutgoingMessage>> r;
    qsizetype lineNumber = 0;
    qsizetype from = 0;
    while (from < text.size()) {
        qsizetype end = text.indexOf('\n', from);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = QByteArrayView(text).sliced(from, end - from).trimmed();
        from = end + 1;
        ++lineNumber;
        if (line.isEmpty())
            continue;
        ParsedMessage parsed;
        QString error;
        if (!parseJsonLine(line, &parsed, &error)) {
            r.value.clear();
            r.error = {ClientError::Kind::InvalidRequest,
                       tr("line %1: %2").arg(lineNumber).arg(error), false};
            return r;
        }
        r.value.append({std::move(parsed.key), std::move(parsed.value), std::move(parsed.headers),
                        parsed.timestamp});
    }
    return r;
}

} // namespace periscope::client
