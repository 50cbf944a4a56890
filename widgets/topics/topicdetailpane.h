#pragma once

#include "client/clustersession.h"
#include "monitor/lagsampler.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace periscope::models {
class ConfigsModel;
class PartitionsModel;
class TopicGroupsModel;
} // namespace periscope::models

namespace periscope::widgets {

class ActionProgress;
class SessionHold;
class TopicActions;

// One topic: its partitions (leader, replicas, ISR, offsets) and its configs, editable.
class TopicDetailPane final : public QWidget
{
    Q_OBJECT
public:
    // The sampler, when given, fills the "Consumer groups" tab: who reads the topic, how far
    // behind.
    TopicDetailPane(client::ClusterSession *session, const QString &topic,
                    monitor::LagSampler *sampler = nullptr, QWidget *parent = nullptr);
    QString topic() const { return m_topic; }
    QTableView *configsView() const { return m_configsView; }
    QTableView *groupsView() const { return m_groupsView; }
    TopicActions *actions() const { return m_actions; }
    void reloadConfigs();

Q_SIGNALS:
    void browseRequested(const QString &topic);
    void openGroup(const QString &group);

private:
    void updateFromSession();
    void editSelectedConfig();

    SessionHold *m_hold;
    QString m_topic;
    QLabel *m_title;
    QLabel *m_summary;
    models::PartitionsModel *m_partitions;
    models::ConfigsModel *m_configs;
    QSortFilterProxyModel *m_configsProxy;
    QTableView *m_partitionsView;
    QTableView *m_configsView;
    models::TopicGroupsModel *m_groups = nullptr;
    QTableView *m_groupsView = nullptr;
    QPushButton *m_edit;
    ActionProgress *m_progress;
    TopicActions *m_actions;
    quint64 m_configsRequest = 0;
};

} // namespace periscope::widgets
