#pragma once

#include "client/clusterclient.h"
#include "lagsnapshot.h"

#include <QObject>
#include <QTimer>

namespace periscope::monitor {

// Samples every group of one cluster at an interval and keeps the latest LagSnapshot.
// The reading runs on the client's worker threads and the evaluation on its own thread;
// the GUI thread only receives the finished snapshot, one per refresh.
class LagSampler final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 10000;

    explicit LagSampler(client::ClusterClient *client, QObject *parent = nullptr);

    // 0 stops sampling; refresh() still works.
    void setInterval(int ms);
    int interval() const { return m_interval; }
    void setRules(LagRules rules);
    // Samples now; a refresh already under way is followed by one more.
    void refresh();
    bool refreshing() const { return m_refreshing; }
    SnapshotPtr snapshot() const { return m_snapshot; }

Q_SIGNALS:
    void updated();
    // Every pane's sampling chooser follows the one sampler.
    void intervalChanged(int ms);
    void failed(const periscope::client::ClientError &error);
    void refreshingChanged(bool refreshing);

private:
    void start();
    void evaluate(const client::GroupsSample &sample);
    void finish();

    client::ClusterClient *m_client;
    // Only ever used by one evaluation at a time, on its thread.
    std::shared_ptr<LagHistory> m_history;
    SnapshotPtr m_snapshot;
    QTimer m_timer;
    int m_interval = kDefaultIntervalMs;
    bool m_refreshing = false;
    bool m_again = false;
};

} // namespace periscope::monitor
