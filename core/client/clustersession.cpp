#include "clustersession.h"

namespace periscope::client {

ClusterSession::ClusterSession(ConnectionSettings settings, bool readOnly, QObject *parent)
    : QObject(parent)
    , m_client(std::move(settings))
    , m_readOnly(readOnly)
{
    connect(&m_timer, &QTimer::timeout, this, &ClusterSession::refresh);
    connect(&m_client, &ClusterClient::stateChanged, this,
            [this](ClusterClient::State state, const QString &) {
                // The first connect and every reconnect bring fresh data.
                if (state == ClusterClient::State::Connected)
                    refresh();
            });
}

ClusterSession::~ClusterSession()
{
    close();
}

void ClusterSession::open()
{
    m_client.open();
}

void ClusterSession::close()
{
    m_timer.stop();
    m_client.close();
    if (std::exchange(m_ended, true))
        return;
    Q_EMIT ended();
}

const TopicInfo *ClusterSession::topic(const QString &name) const
{
    const auto it = m_topicIndex.constFind(name);
    return it == m_topicIndex.cend() ? nullptr : &m_metadata.topics.at(*it);
}

void ClusterSession::setAutoRefreshInterval(int ms)
{
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(ms);
}

void ClusterSession::applyRacks()
{
    for (BrokerInfo &b : m_metadata.brokers)
        if (b.rack.isEmpty())
            b.rack = m_racks.value(b.id);
}

void ClusterSession::askRacks()
{
    // librdkafka 2.0.2's metadata has no rack, so each broker is asked once for its
    // broker.rack config. Without the right to describe it, racks stay blank.
    for (const BrokerInfo &b : std::as_const(m_metadata.brokers)) {
        if (m_racks.contains(b.id))
            continue;
        m_racks.insert(b.id, QString());
        ++m_racksPending;
        m_client.describeConfigs(ConfigResource::Type::Broker, QString::number(b.id))
            .then(this, [this, id = b.id](const Result<ConfigResource> &r) {
                for (const ConfigEntry &e : r.value.entries)
                    if (e.name == QLatin1String("broker.rack") && !e.isNull)
                        m_racks.insert(id, e.value);
                // One signal for the whole round, not one per broker.
                if (--m_racksPending == 0) {
                    applyRacks();
                    Q_EMIT brokerRacksChanged();
                }
            });
    }
}

void ClusterSession::countError()
{
    Q_EMIT errorCountChanged(++m_errorCount);
}

void ClusterSession::setRefreshing(bool on)
{
    if (m_refreshing == on)
        return;
    m_refreshing = on;
    Q_EMIT refreshingChanged(on);
}

void ClusterSession::refresh()
{
    if (m_ended)
        return;
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    setRefreshing(true);
    const quint64 generation = ++m_generation;
    m_client.metadata().then(this, [this, generation](const Result<ClusterMetadata> &r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            countError();
            setRefreshing(false);
            Q_EMIT refreshFailed(r.error);
            return;
        }
        m_metadata = r.value;
        m_topicIndex.clear();
        m_topicIndex.reserve(m_metadata.topics.size());
        for (qsizetype i = 0; i < m_metadata.topics.size(); ++i)
            m_topicIndex.insert(m_metadata.topics.at(i).name, i);
        m_hasMetadata = true;
        m_lastRefresh = QDateTime::currentDateTime();
        applyRacks();
        Q_EMIT metadataChanged();
        askRacks();
        fetchOffsets(generation);
    });
}

void ClusterSession::fetchOffsets(quint64 generation)
{
    QMap<QString, int> partitions;
    for (const TopicInfo &t : std::as_const(m_metadata.topics))
        if (t.error.isEmpty() && !t.partitions.isEmpty())
            partitions.insert(t.name, int(t.partitions.size()));
    m_client.offsets(partitions)
        .then(this, [this, generation](const Result<QList<PartitionOffsets>> &r) {
            if (generation != m_generation)
                return;
            setRefreshing(false);
            if (r.ok()) {
                m_offsets = r.value;
                m_lastRefresh = QDateTime::currentDateTime();
                Q_EMIT offsetsChanged();
            } else {
                countError();
                Q_EMIT refreshFailed(r.error);
            }
            if (std::exchange(m_refreshAgain, false))
                refresh();
        });
}

} // namespace periscope::client
