#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace periscope::logging {

// One application log line as the hub hands it to the GUI. level is spdlog's
// level_enum as an int (0 trace … 5 critical) so readers need no spdlog header.
struct LogRecord
{
    QDateTime time;
    int level = 0;
    QString logger;
    QString text;
};

} // namespace periscope::logging

Q_DECLARE_METATYPE(periscope::logging::LogRecord)
