#pragma once

#include "jobs/mailbox.h"
#include "messagebatch.h"
#include "types.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace periscope::client {

class ClusterClient;

struct BrowseRequest
{
    enum class Start { Oldest, NewestMinus, Offset, Time };
    enum class Stop { Now, Count, Follow };

    QString topic;
    QList<int> partitions; // empty: all of them
    Start start = Start::Oldest;
    qint64 startValue = 0; // N for NewestMinus (per partition), an offset, or ms since epoch
    Stop stop = Stop::Now;
    qint64 count = 0;          // for Stop::Count, over all partitions
    qint64 valueCap = 1 << 20; // longer values are kept cut to this (a browse of one gets all)
    int timeoutMs = 15000;     // for the set-up requests (metadata, offsets)
    // A search: only messages this accepts are kept, and Stop::Count counts those. Runs
    // on the browse thread, so it must not touch anything else.
    std::function<bool(const MessageBatch &, qsizetype)> keep;
};

struct BrowseProgress
{
    qint64 messages = 0;
    qint64 bytes = 0;
    double messagesPerSecond = 0;
    qint64 expected = -1; // messages up to the stop point, when known
    qint64 kept = 0;      // in a search: the matches so far
};

// Reads one topic for the message browser: its own consumer handle (assign, no group, no
// commits) in a job on the cluster's browsing pool, streaming MessageBatches of thousands of
// messages. At most kQueuedBatches batches wait for the receiver at a time; while they do,
// the job pauses its partitions, so a reader faster than the window never piles up memory.
// Nothing here blocks the caller; cancel() stops it at once, and nothing the job had sent
// reaches the receiver after that (each start() is a new job with a new mailbox).
class BrowseSession final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kQueuedBatches = 4;

    BrowseSession(ClusterClient *client, BrowseRequest request, QObject *parent = nullptr);
    ~BrowseSession() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const BrowseRequest &request() const { return m_request; }
    // The running (or last) job's number; 0 before the first start().
    quint64 jobId() const { return m_jobId; }
    // Batches sent and not yet delivered: never more than kQueuedBatches.
    int queuedBatches() const { return m_mailbox ? m_mailbox->waitingBounded() : 0; }

Q_SIGNALS:
    void batchReady(const periscope::client::MessageBatch &batch);
    void progress(const periscope::client::BrowseProgress &progress);
    // Something the user should know that is not an error ("offset 5 is below the log
    // start; reading from 120").
    void notice(const QString &text);
    // The end: no error when the stop point was reached or cancel() was called.
    void finished(const periscope::client::ClientError &error);

private:
    void stopWorker(); // the job is cancelled and its reports stop reaching this session

    QPointer<ClusterClient> m_client;
    BrowseRequest m_request;
    jobs::MailboxPtr m_mailbox;
    std::function<void()> m_cancelJob;
    quint64 m_jobId = 0;
    bool m_running = false;
};

} // namespace periscope::client

Q_DECLARE_METATYPE(periscope::client::BrowseProgress)
