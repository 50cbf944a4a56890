#pragma once

#include "client/clustersession.h"
#include "monitor/lagsampler.h"

class QAbstractItemModel;
class QComboBox;
class QTableView;
class QWidget;

namespace periscope::widgets {

class ActionProgress;
class SessionHold;

// The table settings every pane shares: sorting through SortRole models, uniform row
// heights, no grid clutter, row selection.
void configureTable(QTableView *view, QAbstractItemModel *model);
// An auto-refresh chooser (off, 5 s … 5 min) bound to the session's timer.
void fillRefreshCombo(QComboBox *combo, client::ClusterSession *session);
// The lag sampling interval chooser (off, 5 s … 1 min), remembered for the next start.
void fillSamplingCombo(QComboBox *combo, monitor::LagSampler *sampler);
// Once the hold's session ends, the banner says so and the controls are disabled: what the
// pane shows stays readable, nothing in it asks the cluster any more.
void showWhenEnded(SessionHold *hold, ActionProgress *banner, const QList<QWidget *> &controls);

} // namespace periscope::widgets
