#pragma once

#include <QString>
#include <spdlog/common.h>

namespace periscope::logging {

class LogHub;

// Installs the default spdlog logger "periscope": every line is redacted (redact.h), then
// goes to the hub (may be null), to logDir/periscope.log (5 MB x 3 rotating; the folder is
// created) and, from warnings up, to stderr. A log file that cannot be opened is reported
// on the other sinks and skipped. Safe to call again, e.g. to change the level.
void setupLogging(LogHub *hub, const QString &logDir, spdlog::level::level_enum level);

// Flushes and replaces the default logger by a stderr-only one, releasing the hub's sink
// and the log file. Call before the hub is destroyed if logging may continue.
void shutdownLogging();

// QStandardPaths::AppLocalDataLocation + "/logs".
QString defaultLogDir();

QString logFileName(const QString &logDir);

} // namespace periscope::logging
