#pragma once

#include "client/clustersession.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace periscope::models {
class BrokersModel;
class ConfigsModel;
} // namespace periscope::models

namespace periscope::widgets {

class SessionHold;

// The brokers of a cluster; selecting one shows its configs below.
class BrokersPane final : public QWidget
{
    Q_OBJECT
public:
    explicit BrokersPane(client::ClusterSession *session, QWidget *parent = nullptr);

private:
    void showConfigs();

    SessionHold *m_hold;
    models::BrokersModel *m_brokers;
    models::ConfigsModel *m_configs;
    QSortFilterProxyModel *m_brokersProxy;
    QSortFilterProxyModel *m_configsProxy;
    QTableView *m_brokersView;
    QTableView *m_configsView;
    QLabel *m_configsTitle;
    quint64 m_request = 0;
};

} // namespace periscope::widgets
