#pragma once

#include "client/clustersession.h"
#include "monitor/lagsampler.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace periscope::models {
class GroupMembersModel;
class GroupOffsetsModel;
} // namespace periscope::models

namespace periscope::widgets {

class ActionProgress;
class GroupActions;
class SessionHold;

// One consumer group: state and totals, its members with their assignments, and its
// offsets table (committed, end, lag, owner, status per partition), with the actions.
class GroupDetailPane final : public QWidget
{
    Q_OBJECT
public:
    GroupDetailPane(client::ClusterSession *session, monitor::LagSampler *sampler,
                    const QString &group, QWidget *parent = nullptr);

    QString group() const { return m_group; }
    QTableView *offsetsView() const { return m_offsetsView; }
    QTableView *membersView() const { return m_membersView; }
    models::GroupOffsetsModel *offsetsModel() const { return m_offsets; }
    GroupActions *actions() const { return m_actions; }
    QString summaryText() const;

Q_SIGNALS:
    void openTopic(const QString &topic);

private:
    void update();
    void resetSelected();
    void showContextMenu(const QPoint &pos);

    SessionHold *m_hold;
    QString m_group;
    QLabel *m_title;
    QLabel *m_summary;
    models::GroupMembersModel *m_members;
    models::GroupOffsetsModel *m_offsets;
    QSortFilterProxyModel *m_offsetsProxy;
    QTableView *m_membersView;
    QTableView *m_offsetsView;
    QPushButton *m_reset;
    QPushButton *m_delete;
    ActionProgress *m_progress;
    GroupActions *m_actions;
};

} // namespace periscope::widgets
