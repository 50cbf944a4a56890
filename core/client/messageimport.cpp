#include "messageimport.h"

#include "jobs/localpool.h"
#include "messagejson.h"

#include <QCoreApplication>
#include <QFile>

namespace periscope::client {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::client::MessageImport", text);
}

Result<QList<OutgoingMessage>> read(const QString &path, const jobs::JobToken *token,
                                    jobs::ProgressReporter *progress);
Result<QList<OutgoingMessage>> parse(const QByteArray &text, const jobs::JobToken *token,
                                     jobs::ProgressReporter *progress);

} // namespace

Result<QList<OutgoingMessage>> readJsonLines(const QString &path)
{
    return read(path, nullptr, nullptr);
}

Result<QList<OutgoingMessage>> parseJsonLines(const QByteArray &text)
{
    return parse(text, nullptr, nullptr);
}

jobs::Pending<Result<QList<OutgoingMessage>>>
readJsonLinesInBackground(const QString &path, jobs::ProgressReporter progress)
{
    return jobs::localPool().submit([path, progress](const jobs::JobToken &token) mutable {
        return read(path, &token, &progress);
    });
}

namespace {

Result<QList<OutgoingMessage>> read(const QString &path, const jobs::JobToken *token,
                                    jobs::ProgressReporter *progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result<QList<OutgoingMessage>> r;
        r.error = {ClientError::Kind::InvalidRequest,
                   tr("cannot read %1: %2").arg(path, file.errorString()), false};
        return r;
    }
    return parse(file.readAll(), token, progress);
}

Result<QList<OutgoingMessage>> parse(const QByteArray &text, const jobs::JobToken *token,
                                     jobs::ProgressReporter *progress)
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
        if (token && token->cancelled()) {
            r.value.clear();
            r.error = {ClientError::Kind::Cancelled, tr("cancelled"), false};
            return r;
        }
        if (progress)
            progress->report(from, text.size());
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

} // namespace

} // namespace periscope::client
