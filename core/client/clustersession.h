#pragma once

#include "clusterclient.h"

#include <QDateTime>
#include <QObject>

namespace periscope::client {

// A connected cluster as the panes see it: the client plus the latest metadata and
// offsets, refreshed on demand or on a timer. Stale answers (an older refresh finishing
// after a newer one) are dropped.
class ClusterSession final : public QObject
{
    Q_OBJECT
public:
    ClusterSession(ConnectionSettings settings, bool readOnly, QObject *parent = nullptr);
    ~ClusterSession() override;

    ClusterClient *client() { return &m_client; }
    const ClusterClient *client() const { return &m_client; }
    QString name() const { return m_client.settings().name; }
    bool readOnly() const { return m_readOnly; }
    // Asynchronous: the client's stateChanged() and openFailed() tell the outcome.
    void open();
    // Lets go of the cluster for good: ended() tells every pane and dialog holding the
    // session, which is then deleted by its owner.
    void close();
    bool isEnded() const { return m_ended; }

    bool hasMetadata() const { return m_hasMetadata; }
    const ClusterMetadata &metadata() const { return m_metadata; }
    const QList<PartitionOffsets> &offsets() const { return m_offsets; }
    const TopicInfo *topic(const QString &name) const;
    QDateTime lastRefresh() const { return m_lastRefresh; }
    int errorCount() const { return m_errorCount; }
    bool refreshing() const { return m_refreshing; }

    // Metadata, then the offsets of every partition.
    void refresh();
    // 0 turns auto-refresh off.
    void setAutoRefreshInterval(int ms);
    int autoRefreshInterval() const { return m_timer.isActive() ? m_timer.interval() : 0; }
    // Counts an error of an action run elsewhere against this cluster.
    void countError();

Q_SIGNALS:
    // The session is closed and about to go: holders stop using it (see SessionHold).
    void ended();
    void metadataChanged();
    // Brokers' racks arrived after their metadata (see askRacks()).
    void brokerRacksChanged();
    void offsetsChanged();
    void refreshFailed(const periscope::client::ClientError &error);
    void errorCountChanged(int count);
    void refreshingChanged(bool refreshing);

private:
    void fetchOffsets(quint64 generation);
    void applyRacks();
    void askRacks();
    void setRefreshing(bool on);

    ClusterClient m_client;
    bool m_readOnly;
    bool m_ended = false;
    bool m_hasMetadata = false;
    ClusterMetadata m_metadata;
    QHash<QString, qsizetype> m_topicIndex;
    QHash<int, QString> m_racks; // broker id -> broker.rack, empty when none is set
    int m_racksPending = 0;
    QList<PartitionOffsets> m_offsets;
    QDateTime m_lastRefresh;
    int m_errorCount = 0;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    quint64 m_generation = 0;
    QTimer m_timer;
};

} // namespace periscope::client
