#pragma once

#include "client/clustersession.h"

class QAbstractItemModel;
class QComboBox;
class QTableView;

namespace periscope::widgets {

// The table settings every pane shares: sorting through SortRole models, uniform row
// heights, no grid clutter, row selection.
void configureTable(QTableView *view, QAbstractItemModel *model);
// An auto-refresh chooser (off, 5 s … 5 min) bound to the session's timer.
void fillRefreshCombo(QComboBox *combo, client::ClusterSession *session);

} // namespace periscope::widgets
