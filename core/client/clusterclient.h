#pragma once

#include "grouptypes.h"
#include "jobs/jobpool.h"
#include "jobs/mailbox.h"
#include "kafkahandle.h"
#include "types.h"

#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>
#include <mutex>

namespace periscope::client {

using jobs::Pending;

struct ConnectionSettings
{
    QString name;                      // for humans: the profile's name
    QMap<QString, QString> properties; // librdkafka configuration, secrets included
    int requestTimeoutMs = 15000;
    int probeIntervalMs = 5000; // how often the connection state is re-checked
};

// One connected cluster. Every request returns at once; the blocking librdkafka work runs
// as a job on the cluster's own pools and the result arrives through a Pending (its
// then(context, ...) delivers it on the context's thread). Even the librdkafka handle is
// made on a worker thread. Nothing here ever blocks its caller, not even destruction:
// closing cancels every job of the cluster, and their results are dropped.
class ClusterClient final : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, BrokerDown, AuthFailed };
    Q_ENUM(State)

    explicit ClusterClient(ConnectionSettings settings, QObject *parent = nullptr);
    ~ClusterClient() override;

    // Makes the librdkafka handle on a worker thread, then starts probing; state changes
    // tell the outcome. A configuration librdkafka refuses ends in openFailed() (and the
    // Disconnected state with the reason).
    void open();
    // Lets go of the cluster: every job of it is cancelled and no result of theirs arrives.
    void close();
    bool isOpen() const { return bool(m_cell); }

    State state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    static QString stateName(State state);
    const ConnectionSettings &settings() const { return m_settings; }
    static QString librdkafkaVersion();

    // Short requests (metadata, admin, offsets, group sampling) run on one bounded pool,
    // sending messages on another, and reading them on a third: a live tail never ends by
    // itself, so open tails must hold up neither a refresh nor a send. Each browse pane holds
    // at most two readers (its load and a whole value), so the last bound is a count of panes.
    jobs::JobPool &requestPool() { return m_requests; }
    jobs::JobPool &streamPool() { return m_streams; }
    jobs::JobPool &browsePool() { return m_browsing; }
    static constexpr int kRequestThreads = 6;
    static constexpr int kStreamThreads = 4;
    static constexpr int kBrowseThreads = 32;

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
    // The librdkafka handle could not be made (a bad property, an unreadable certificate,
    // no Kafka library): the client is Disconnected.
    void openFailed(const QString &why);

private:
    struct Relay;
    // The handle, made by a job: requests queued before it exists wait for it in their job.
    struct HandleCell
    {
        std::mutex mutex;
        std::condition_variable made;
        bool ready = false;
        KafkaPtr handle;
        QString error;
        void set(KafkaPtr h, const QString &why);
        // Null with *error set when it could not be made or the job was cancelled first.
        KafkaPtr wait(const jobs::JobToken &token, ClientError *error);
    };

    template <typename T, typename Work>
    Pending<Result<T>> run(Work work);
    template <typename T, typename Work>
    static Result<T> runOn(const jobs::JobToken &token, HandleCell &cell, Relay &relay, Work &work,
                           int timeoutMs);
    void onOutcome(const ClientError &error);
    void onTransportEvent(int code, const QString &text);
    void setState(State state, const QString &message);
    void probe();
    QString notConnectedText() const;

    ConnectionSettings m_settings;
    jobs::JobPool m_requests;
    jobs::JobPool m_streams;
    jobs::JobPool m_browsing;
    std::shared_ptr<HandleCell> m_cell;
    std::shared_ptr<Relay> m_relay;
    State m_state = State::Disconnected;
    QString m_stateMessage;
    QTimer m_probe;
    bool m_probing = false;
};

// Shared with librdkafka's callbacks and the jobs, which outlive neither it nor the handle.
struct ClusterClient::Relay
{
    std::mutex mutex;
    jobs::MailboxPtr mailbox;        // to the client, closed when it closes
    ClusterClient *client = nullptr; // set before any job starts; used only through mailbox
    QString lastTransportError;
    QString lastAuthError;
    void onHandleEvent(const HandleEvent &event);
    ClientError refine(ClientError error, const jobs::JobToken &token);
    void report(const ClientError &error);
};

template <typename T, typename Work>
Result<T> ClusterClient::runOn(const jobs::JobToken &token, HandleCell &cell, Relay &relay,
                               Work &work, int timeoutMs)
{
    Result<T> r;
    KafkaPtr handle = cell.wait(token, &r.error);
    if (!handle)
        return r;
    r = work(handle.get(), timeoutMs);
    serveCallbacks(handle.get());
    handle.reset();
    if (token.cancelled()) {
        r.error = {ClientError::Kind::Cancelled, tr("disconnected"), false};
        return r;
    }
    r.error = relay.refine(r.error, token);
    relay.report(r.error);
    return r;
}

template <typename T, typename Work>
Pending<Result<T>> ClusterClient::run(Work work)
{
    return m_requests.submit([cell = m_cell, relay = m_relay, work = std::move(work),
                              timeout = m_settings.requestTimeoutMs,
                              closed = notConnectedText()](const jobs::JobToken &token) mutable {
        if (!cell || token.cancelled())
            return Result<T>{{}, {ClientError::Kind::Cancelled, closed, false}};
        return runOn<T>(token, *cell, *relay, work, timeout);
    });
}

} // namespace periscope::client
