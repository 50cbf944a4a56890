#pragma once

#include "browser/messagemodel.h"
#include "jobs/jobtoken.h"
#include "jobs/progress.h"

#include <vector>

namespace periscope::models {

// The order MessageModel::sort() shows: arrival row numbers of `rows`, sorted stably by
// `column` (ties keep arrival order); empty for a column that is not sortable, which means
// arrival order. Safe on any thread over a snapshot. In a job it stops early when the
// token is cancelled (the result is then meaningless) and reports progress as it goes:
// keys read, then runs sorted and merged.
std::vector<int> sortMessageRows(const MessageRows &rows, int column, Qt::SortOrder order,
                                 const jobs::JobToken *token = nullptr,
                                 jobs::ProgressReporter *progress = nullptr);

} // namespace periscope::models
