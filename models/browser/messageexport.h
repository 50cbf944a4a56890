#pragma once

#include "browser/messagemodel.h"
#include "jobs/pending.h"
#include "jobs/progress.h"

#include <memory>
#include <vector>

namespace periscope::models {

enum class ExportFormat { JsonLines, Csv };

struct ExportOutcome
{
    bool ok = false;
    int written = 0;
    QString message; // for the status line: what was written, or why nothing was
};

// Writes messages of a snapshot (the rows given, or all) to `path` in a job of the local
// pool; the file appears whole or not at all, also when the job is cancelled. Progress (rows
// written of rows to write) goes to `progress` when it has a mailbox.
jobs::Pending<ExportOutcome> exportMessages(std::shared_ptr<const MessageRows> snapshot,
                                            std::vector<int> rows, const QString &path,
                                            ExportFormat format,
                                            jobs::ProgressReporter progress = {});

} // namespace periscope::models
