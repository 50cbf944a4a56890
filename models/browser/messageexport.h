#pragma once

#include "browser/messagemodel.h"

#include <QObject>
#include <functional>
#include <memory>
#include <vector>

namespace periscope::models {

enum class ExportFormat { JsonLines, Csv };

// Writes messages of a snapshot (the rows given, or all) to `path` on a worker thread; the
// file appears whole or not at all. `done` runs on the context's thread, unless the
// context is gone by then.
void exportMessages(std::shared_ptr<const MessageRows> snapshot, std::vector<int> rows,
                    const QString &path, ExportFormat format, QObject *context,
                    std::function<void(bool ok, const QString &message)> done);

} // namespace periscope::models
