#include "browser/messageexport.h"

#include "client/messagejson.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSaveFile>
#include <thread>

namespace periscope::models {

namespace {

QString write(const MessageRows &rows, const std::vector<int> &which, const QString &path,
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
        }
    }
    file.write(buffer);
    if (!file.commit())
        return file.errorString();
    *written = count;
    return {};
}

} // namespace

void exportMessages(std::shared_ptr<const MessageRows> snapshot, std::vector<int> rows,
                    const QString &path, ExportFormat format, QObject *context,
                    std::function<void(bool, const QString &)> done)
{
    QPointer<QObject> guard(context);
    std::thread([=, rows = std::move(rows)] {
        int written = 0;
        const QString error = write(*snapshot, rows, path, format, &written);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done, error, written, path] {
                if (!guard)
                    return;
                if (error.isEmpty())
                    done(true,
                         QCoreApplication::translate("MessageExport", "%L1 messages written to %2")
                             .arg(written)
                             .arg(path));
                else
                    done(false, QCoreApplication::translate("MessageExport", "cannot write %1: %2")
                                    .arg(path, error));
            },
            Qt::QueuedConnection);
    }).detach();
}

} // namespace periscope::models
