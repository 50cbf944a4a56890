#include "browser/messageexport.h"

#include "client/messagejson.h"
#include "jobs/localpool.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace periscope::models {

namespace {

QString write(const jobs::JobToken &token, jobs::ProgressReporter &progress,
              const MessageRows &rows, const std::vector<int> &which, const QString &path,
              ExportFormat format, int *written)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    if (format == ExportFormat::Csv)
        file.write(client::csvHeader() + '\n');
    const int count = which.empty() ? rows.size() : int(which.size());
    QByteArray buffer;
    for (int i = 0; i < count; ++i) {
        const MessageRows::Ref ref = rows.at(which.empty() ? i : which[std::size_t(i)]);
        buffer += format == ExportFormat::Csv ? client::toCsvLine(*ref.batch, ref.index)
                                              : client::toJsonLine(*ref.batch, ref.index);
        buffer += '\n';
        if (buffer.size() > (1 << 20)) {
            file.write(buffer);
            buffer.clear();
            if (token.cancelled()) {
                file.cancelWriting(); // the file stays as it was
                return QCoreApplication::translate("MessageExport", "cancelled");
            }
            progress.report(i + 1, count);
        }
    }
    file.write(buffer);
    if (!file.commit())
        return file.errorString();
    *written = count;
    return {};
}

} // namespace

jobs::Pending<ExportOutcome> exportMessages(std::shared_ptr<const MessageRows> snapshot,
                                            std::vector<int> rows, const QString &path,
                                            ExportFormat format, jobs::ProgressReporter progress)
{
    return jobs::localPool().submit([snapshot = std::move(snapshot), rows = std::move(rows), path,
                                     format, progress](const jobs::JobToken &token) mutable {
        ExportOutcome out;
        const QString error = write(token, progress, *snapshot, rows, path, format, &out.written);
        out.ok = error.isEmpty();
        out.message =
            out.ok ? QCoreApplication::translate("MessageExport", "%L1 messages written to %2")
                         .arg(out.written)
                         .arg(path)
                   : QCoreApplication::translate("MessageExport", "cannot write %1: %2")
                         .arg(path, error);
        return out;
    });
}

} // namespace periscope::models
