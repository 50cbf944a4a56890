#pragma once

#include "grouptypes.h"
#include "kafkahandle.h"
#include "pending.h"
#include "types.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QTimer>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace periscope::client {

struct ConnectionSettings
{
    QString name;                      // for humans: the profile's name
    QMap<QString, QString> properties; // librdkafka configuration, secrets included
    int requestTimeoutMs = 15000;
    int probeIntervalMs = 5000; // how often the connection state is re-checked
};

// One connected cluster. Every request returns at once; the blocking librdkafka work runs
// on worker threads and the result arrives through a Pending (its then(context, ...)
// delivers it on the context's thread). Nothing here ever blocks its
// caller, not even destruction.
class ClusterClient final : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, BrokerDown, AuthFailed };
    Q_ENUM(State)

    explicit ClusterClient(ConnectionSettings settings, QObject *parent = nullptr);
    ~ClusterClient() override;

    // Creates the librdkafka handle and starts probing; state changes tell the outcome.
    // Returns false (and sets *error) when the configuration itself is refused.
    bool open(QString *error = nullptr);
    // Lets go of the cluster: running requests end with a Cancelled error.
    void close();

    State state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    static QString stateName(State state);
    const ConnectionSettings &settings() const { return m_settings; }
    static QString librdkafkaVersion();

    Pending<Result<ClusterMetadata>> metadata();
    Pending<Result<QList<PartitionOffsets>>> offsets(const QMap<QString, int> &topicPartitions);
    Pending<Result<ConfigResource>> describeConfigs(ConfigResource::Type type, const QString &name);
    // Changes `set` and removes `reset` (back to default) while keeping every other dynamic
    // config: librdkafka 2.0.2 only has the AlterConfigs that replaces the whole set.
    Pending<Result<ItemResult>> alterConfigs(ConfigResource::Type type, const QString &name,
                                             const QMap<QString, QString> &set,
                                             const QStringList &reset = {});
    Pending<Result<QList<ItemResult>>> createTopics(const QList<NewTopic> &topics,
                                                    bool validateOnly = false);
    Pending<Result<QList<ItemResult>>> deleteTopics(const QStringList &names);
    Pending<Result<ItemResult>> createPartitions(const QString &topic, int newTotal);
    Pending<Result<QList<PartitionOffsets>>> deleteRecords(const QString &topic,
                                                           const QMap<int, qint64> &before);
    // Deletes every record of every partition up to its end.
    Pending<Result<QList<PartitionOffsets>>> purge(const QString &topic, int partitions);

    Pending<Result<QList<GroupListing>>> listGroups();
    Pending<Result<QList<GroupDescription>>> describeGroups(const QStringList &ids);
    Pending<Result<QList<GroupOffset>>> groupOffsets(const QString &group);
    // Refused, partition by partition, while the group has members.
    Pending<Result<QList<GroupOffset>>> alterGroupOffsets(const QString &group,
                                                          const QList<GroupOffset> &offsets);
    Pending<Result<ItemResult>> deleteGroup(const QString &id);
    Pending<Result<QList<GroupOffset>>>
    deleteGroupOffsets(const QString &group, const QString &topic, const QList<int> &partitions);
    // One lag refresh: every group with its members, committed offsets and end offsets.
    Pending<Result<GroupsSample>> sampleGroups();
    // The first offset at or after the time in each partition (-1: none, the log ends before).
    Pending<Result<QList<GroupOffset>>> offsetsAtTime(const QMap<QString, QList<int>> &partitions,
                                                      qint64 msSinceEpoch);

Q_SIGNALS:
    void stateChanged(periscope::client::ClusterClient::State state, const QString &message);
    // A request failed; for the status bar's error count.
    void requestFailed(const periscope::client::ClientError &error);

private:
    // Shared with librdkafka's callbacks and the worker threads, which outlive neither it
    // nor the handle.
    struct Relay
    {
        std::mutex mutex;
        ClusterClient *client = nullptr;
        QString lastTransportError;
        QString lastAuthError;
        std::atomic<bool> closed{false};
        void onHandleEvent(const HandleEvent &event);
        ClientError refine(ClientError error);
        void report(const ClientError &error);
    };

    template <typename T, typename Work>
    Pending<Result<T>> run(Work work);
    void onOutcome(const ClientError &error);
    void onTransportEvent(int code, const QString &text);
    void setState(State state, const QString &message);
    void probe();

    ConnectionSettings m_settings;
    KafkaPtr m_handle;
    std::shared_ptr<Relay> m_relay;
    State m_state = State::Disconnected;
    QString m_stateMessage;
    QTimer m_probe;
    bool m_probing = false;
};

template <typename T, typename Work>
Pending<Result<T>> ClusterClient::run(Work work)
{
    auto promise = std::make_shared<QPromise<Result<T>>>();
    QFuture<Result<T>> future = promise->future();
    promise->start();
    if (!m_handle) {
        Result<T> r;
        r.error = {ClientError::Kind::Cancelled, tr("not connected to %1").arg(m_settings.name),
                   false};
        promise->addResult(std::move(r));
        promise->finish();
        return Pending<Result<T>>(future);
    }
    std::thread([promise, handle = m_handle, relay = m_relay, work = std::move(work),
                 timeout = m_settings.requestTimeoutMs]() mutable {
        Result<T> r = work(handle.get(), timeout);
        serveCallbacks(handle.get());
        handle.reset();
        if (relay->closed)
            r.error = {ClientError::Kind::Cancelled, QStringLiteral("disconnected"), false};
        else
            r.error = relay->refine(r.error);
        relay->report(r.error);
        promise->addResult(std::move(r));
        promise->finish();
    }).detach();
    return Pending<Result<T>>(future);
}

} // namespace periscope::client
