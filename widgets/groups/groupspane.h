#pragma once

#include "client/clustersession.h"
#include "monitor/lagsampler.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace periscope::models {
class GroupsModel;
}

namespace periscope::widgets {

class ActionProgress;
class GroupActions;
class SessionHold;

// Every consumer group of a cluster with its lag and lag status, as the sampler last saw
// them; filter as you type, sort by any column, sampling interval in the toolbar.
class GroupsPane final : public QWidget
{
    Q_OBJECT
public:
    GroupsPane(client::ClusterSession *session, monitor::LagSampler *sampler,
               QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    models::GroupsModel *model() const { return m_model; }
    GroupActions *actions() const { return m_actions; }
    void setFilterText(const QString &text);

Q_SIGNALS:
    void openGroup(const QString &id);

private:
    void update();
    void updateCount();
    void showContextMenu(const QPoint &pos);
    QString currentGroup() const;

    SessionHold *m_hold;
    models::GroupsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_show;
    QComboBox *m_interval;
    QPushButton *m_refresh;
    QLabel *m_count;
    QTableView *m_view;
    ActionProgress *m_progress;
    bool m_samplerFailed = false; // the failure shown is the sampler's, not an action's
    GroupActions *m_actions;
};

} // namespace periscope::widgets
