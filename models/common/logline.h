#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace periscope::models {

struct LogLine
{
    // spdlog's numbering, so lines from the spdlog sink need no translation.
    enum Level { Trace = 0, Debug = 1, Info = 2, Warning = 3, Error = 4, Critical = 5, Off = 6 };

    QDateTime time;
    int level = Info;
    QString logger;
    QString text;
};

} // namespace periscope::models

Q_DECLARE_METATYPE(periscope::models::LogLine)
