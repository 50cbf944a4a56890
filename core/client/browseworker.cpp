#include "browseworker.h"

#include "errors.h"
#include "kafkaapi.h"
#include "kafkahandle.h"
#include "requests.h"

#include <QElapsedTimer>
#include <atomic>
#include <mutex>
#include <unordered_map>

namespace periscope::client {

namespace {

constexpr int kBatchMessages = 20000;
constexpr qint64 kBatchBytes = 8 << 20;
constexpr qint64 kFlushMs = 50;
// With every broker unreachable this long, the browse ends with what it has.
constexpr qint64 kBrokersDownGiveUpMs = 10000;
// The window that has not taken a batch for this long is behind: the partitions pause.
constexpr qint64 kPauseAfterMs = 500;

// What librdkafka's callbacks tell the loop, from its own threads.
struct Signals
{
    std::atomic<bool> brokersDown{false};
    std::atomic<bool> topicGone{false};
    std::mutex mutex;
    QString lastTransportError;
};

struct PartitionPlan
{
    qint64 start = 0;
    qint64 end = -1; // stop before this offset (Stop::Now); -1: no end
    bool done = false;
};

class Worker final
{
public:
    Worker(const jobs::JobToken &token, BrowseOutbox outbox, const BrowseRequest &request)
        : m_token(token)
        , m_outbox(std::move(outbox))
        , m_signals(std::make_shared<Signals>())
        , m_request(request)
    {}

    void run(const QMap<QString, QString> &properties);

private:
    bool plan(rd_kafka_t *rk);
    void consume(rd_kafka_t *rk);
    void take(const rd_kafka_message_t *m);
    void flush(bool force);
    bool deliver(MessageBatch batch);
    void postProgress();
    void finish(const ClientError &error);
    void notice(const QString &text)
    {
        m_outbox.mailbox->post([s = m_outbox.session, id = m_token.id(), text] {
            if (s->jobId() == id)
                Q_EMIT s->notice(text);
        });
    }
    bool allDone() const;
    bool stopped() const { return m_token.cancelled() || m_outbox.mailbox->isClosed(); }
    void pause(rd_kafka_t *rk, bool on);

    const jobs::JobToken &m_token;
    BrowseOutbox m_outbox;
    std::shared_ptr<Signals> m_signals;
    // Set while a progress report waits for the receiver: later ones replace it, so a slow
    // receiver gets the newest figures instead of a backlog of them.
    std::shared_ptr<std::atomic<bool>> m_progressQueued = std::make_shared<std::atomic<bool>>();
    std::shared_ptr<BrowseProgress> m_latestProgress = std::make_shared<BrowseProgress>();
    std::shared_ptr<std::mutex> m_progressMutex = std::make_shared<std::mutex>();
    rd_kafka_t *m_rk = nullptr;
    BrowseRequest m_request;
    std::map<int, PartitionPlan> m_plan;
    MessageBatch m_batch;
    BrowseProgress m_progress;
    QElapsedTimer m_clock;
    qint64 m_lastFlush = 0;
    qint64 m_pendingBytes = 0;
};

void Worker::run(const QMap<QString, QString> &properties)
{
    m_clock.start();
    QMap<QString, QString> props = properties;
    props.insert(QStringLiteral("enable.auto.commit"), QStringLiteral("false"));
    props.insert(QStringLiteral("enable.auto.offset.store"), QStringLiteral("false"));
    props.insert(QStringLiteral("enable.partition.eof"), QStringLiteral("true"));
    props.insert(QStringLiteral("group.id"), QStringLiteral("periscope-browser")); // never joined
    props.insert(QStringLiteral("fetch.wait.max.ms"), QStringLiteral("100"));
    // What librdkafka may fetch ahead of us: with the window's batches bounded too, this is
    // what a browse holds at most besides the table.
    props.insert(QStringLiteral("queued.max.messages.kbytes"), QStringLiteral("65536"));
    // librdkafka 2.0.2 idles a partition for a whole second once more than this many
    // messages wait locally; the byte cap above bounds memory instead.
    props.insert(QStringLiteral("queued.min.messages"), QStringLiteral("10000000"));
    // Every way out says how it ended: a job cancelled early still finishes the session.
    if (stopped()) {
        finish({});
        return;
    }
    QString why;
    std::weak_ptr<Signals> weak = m_signals;
    KafkaPtr handle = makeHandle(
        HandleType::Consumer, props,
        [weak](const HandleEvent &e) {
            auto signals = weak.lock();
            if (!signals)
                return;
            if (e.kind == HandleEvent::Kind::Log && e.facility == QLatin1String("FAIL")) {
                std::lock_guard lock(signals->mutex);
                signals->lastTransportError = humanTransportError(e.text);
            } else if (e.kind == HandleEvent::Kind::Error) {
                if (e.code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
                    signals->brokersDown = true;
                // A vanished topic is reported through the error callback, not as a message.
                if (e.code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                    e.code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                    e.code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
                    signals->topicGone = true;
            }
        },
        &why);
    if (!handle) {
        finish({ClientError::Kind::InvalidRequest, why, false});
        return;
    }
    if (stopped()) {
        finish({});
        return;
    }
    if (!plan(handle.get()))
        return; // plan() has said why
    m_rk = handle.get();
    consume(handle.get());
}

bool Worker::plan(rd_kafka_t *rk)
{
    const auto md = fetchMetadata(rk, true, m_request.timeoutMs);
    if (!md.ok()) {
        finish(md.error);
        return false;
    }
    const TopicInfo *topic = nullptr;
    for (const TopicInfo &t : md.value.topics)
        if (t.name == m_request.topic)
            topic = &t;
    if (!topic || topic->partitions.isEmpty()) {
        finish({ClientError::Kind::UnknownTopic,
                BrowseSession::tr("topic %1 does not exist").arg(m_request.topic), false});
        return false;
    }
    const int count = int(topic->partitions.size());
    for (int p = 0; p < count; ++p)
        if (m_request.partitions.isEmpty() || m_request.partitions.contains(p))
            m_plan[p] = {};
    const auto ends = fetchOffsets(rk, {{m_request.topic, count}}, m_request.timeoutMs);
    if (!ends.ok()) {
        finish(ends.error);
        return false;
    }
    std::map<int, std::pair<qint64, qint64>> range;
    for (const PartitionOffsets &o : ends.value)
        range[o.partition] = {o.start, o.end};

    // Offsets for a point in time, one ListOffsets round for all partitions.
    std::map<int, qint64> byTime;
    if (m_request.start == BrowseRequest::Start::Time) {
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(count);
        const QByteArray name = m_request.topic.toUtf8();
        for (const auto &[p, plan] : m_plan)
            rd_kafka_topic_partition_list_add(list, name.constData(), p)->offset =
                m_request.startValue;
        const auto err = rd_kafka_offsets_for_times(rk, list, m_request.timeoutMs);
        for (int i = 0; !err && i < list->cnt; ++i)
            byTime[list->elems[i].partition] = list->elems[i].offset;
        rd_kafka_topic_partition_list_destroy(list);
        if (err) {
            finish(toClientError(err));
            return false;
        }
    }

    bool clamped = false;
    m_progress.expected = 0;
    for (auto &[p, plan] : m_plan) {
        const auto [low, high] = range[p];
        switch (m_request.start) {
        case BrowseRequest::Start::Oldest:
            plan.start = low;
            break;
        case BrowseRequest::Start::NewestMinus:
            plan.start = std::max(low, high - std::max<qint64>(0, m_request.startValue));
            break;
        case BrowseRequest::Start::Offset:
            plan.start = m_request.startValue;
            if (plan.start < low) {
                plan.start = low;
                clamped = true;
            }
            plan.start = std::min(plan.start, high);
            break;
        case BrowseRequest::Start::Time: {
            const qint64 o = byTime[p];
            plan.start = o < 0 ? high : o; // -1: nothing at or after that time
            break;
        }
        }
        if (m_request.stop == BrowseRequest::Stop::Now) {
            plan.end = high;
            plan.done = plan.start >= high;
            m_progress.expected += std::max<qint64>(0, high - plan.start);
        }
    }
    if (m_request.stop == BrowseRequest::Stop::Count && !m_request.keep)
        m_progress.expected = m_request.count;
    else if (m_request.stop == BrowseRequest::Stop::Follow)
        m_progress.expected = -1;
    if (clamped)
        notice(BrowseSession::tr("Offset %1 is below the log start of some partitions; "
                                 "those start at their earliest message.")
                   .arg(m_request.startValue));
    return true;
}

bool Worker::allDone() const
{
    if (m_request.stop == BrowseRequest::Stop::Follow)
        return false;
    if (m_request.stop == BrowseRequest::Stop::Count)
        return (m_request.keep ? m_progress.kept : m_progress.messages) >= m_request.count;
    for (const auto &[p, plan] : m_plan)
        if (!plan.done)
            return false;
    return true;
}

void Worker::consume(rd_kafka_t *rk)
{
    if (allDone()) {
        finish({});
        return;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(m_plan.size()));
    const QByteArray name = m_request.topic.toUtf8();
    for (const auto &[p, plan] : m_plan)
        if (!plan.done)
            rd_kafka_topic_partition_list_add(list, name.constData(), p)->offset = plan.start;
    rd_kafka_resp_err_t err = rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err) {
        finish(toClientError(err));
        return;
    }
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk);
    std::vector<rd_kafka_message_t *> messages(4096);
    qint64 downSince = -1;
    ClientError error;
    while (!stopped() && !allDone() && !error.isError()) {
        const ssize_t n =
            rd_kafka_consume_batch_queue(queue, 100, messages.data(), messages.size());
        for (ssize_t i = 0; i < n; ++i) {
            rd_kafka_message_t *m = messages[std::size_t(i)];
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                auto it = m_plan.find(m->partition);
                if (it != m_plan.end() && it->second.end >= 0 && m->offset >= it->second.end)
                    it->second.done = true;
            } else if (m->err) {
                // A deleted topic or partition ends the browse; what was read stays.
                if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                    m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                    m->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
                    error = {ClientError::Kind::UnknownTopic,
                             BrowseSession::tr("topic %1 no longer exists").arg(m_request.topic),
                             false};
                else if (m->err != RD_KAFKA_RESP_ERR__TRANSPORT)
                    error = toClientError(m->err);
            } else if (!allDone()) {
                take(m);
            }
            rd_kafka_message_destroy(m);
        }
        flush(false);
        serveCallbacks(rk); // errors (broker down, topic gone) arrive through callbacks
        if (m_signals->topicGone && !error.isError())
            error = {ClientError::Kind::UnknownTopic,
                     BrowseSession::tr("topic %1 no longer exists").arg(m_request.topic), false};
        if (n > 0 || !m_signals->brokersDown) {
            downSince = n > 0 ? -1 : downSince;
            if (n > 0)
                m_signals->brokersDown = false;
            continue;
        }
        if (downSince < 0)
            downSince = m_clock.elapsed();
        else if (m_clock.elapsed() - downSince > kBrokersDownGiveUpMs) {
            std::lock_guard lock(m_signals->mutex);
            error = {ClientError::Kind::Unreachable,
                     m_signals->lastTransportError.isEmpty()
                         ? BrowseSession::tr("all brokers are down")
                         : m_signals->lastTransportError,
                     true};
        }
    }
    rd_kafka_queue_destroy(queue);
    if (!stopped())
        flush(true);
    rd_kafka_assign(rk, nullptr);
    finish(error);
}

void Worker::take(const rd_kafka_message_t *m)
{
    auto it = m_plan.find(m->partition);
    if (it == m_plan.end())
        return;
    PartitionPlan &plan = it->second;
    if (plan.end >= 0 && m->offset >= plan.end) {
        plan.done = true;
        return;
    }
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const qint64 ts = rd_kafka_message_timestamp(m, &type);
    std::vector<MessageHeader> headers;
    rd_kafka_headers_t *hdrs = nullptr;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
        const char *hname = nullptr;
        const void *hvalue = nullptr;
        size_t hsize = 0;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &hname, &hvalue, &hsize) ==
                           RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            headers.push_back({QByteArray(hname),
                               hvalue
                                   ? QByteArray(static_cast<const char *>(hvalue), qsizetype(hsize))
                                   : QByteArray(),
                               hvalue == nullptr});
    }
    const qint64 before = m_batch.arena().size();
    m_batch.append(m->partition, m->offset, type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : ts,
                   quint8(type), static_cast<const char *>(m->key), qint64(m->key_len),
                   static_cast<const char *>(m->payload), qint64(m->len), headers,
                   m_request.valueCap);
    m_progress.messages++;
    if (m_request.keep && !m_request.keep(m_batch, m_batch.size() - 1))
        m_batch.dropLast();
    else
        m_progress.kept++;
    m_pendingBytes += m_batch.arena().size() - before;
    m_progress.bytes += qint64(m->len + m->key_len);
    if (plan.end >= 0 && m->offset + 1 >= plan.end)
        plan.done = true;
}

void Worker::flush(bool force)
{
    const qint64 now = m_clock.elapsed();
    const bool due = m_batch.size() >= kBatchMessages || m_pendingBytes >= kBatchBytes ||
                     now - m_lastFlush >= kFlushMs;
    if (!force && !due)
        return;
    m_lastFlush = now;
    m_progress.messagesPerSecond = now > 0 ? m_progress.messages * 1000.0 / double(now) : 0;
    if (!m_batch.isEmpty()) {
        deliver(std::exchange(m_batch, MessageBatch()));
        m_pendingBytes = 0;
    }
    postProgress();
}

void Worker::pause(rd_kafka_t *rk, bool on)
{
    rd_kafka_topic_partition_list_t *list = nullptr;
    if (rd_kafka_assignment(rk, &list) != RD_KAFKA_RESP_ERR_NO_ERROR || !list)
        return;
    if (on)
        rd_kafka_pause_partitions(rk, list);
    else
        rd_kafka_resume_partitions(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
}

bool Worker::deliver(MessageBatch batch)
{
    auto shared = std::make_shared<MessageBatch>(std::move(batch));
    const auto post = [&] {
        // Each call names its job: only the session's current job is heard.
        return m_outbox.mailbox->postBounded([s = m_outbox.session, id = m_token.id(), shared] {
            if (s->jobId() == id)
                Q_EMIT s->batchReady(*shared);
        });
    };
    if (post())
        return true;
    // The receiver has kQueuedBatches still to apply. A short wait is the usual case (the
    // window is busy for a frame or two) and costs nothing; a long one stops fetching, so
    // that what the broker sends meanwhile waits there and not in this process. Pausing
    // drops what librdkafka prefetched, which it fetches again on resuming: worth it only
    // for a receiver that stays behind.
    QElapsedTimer waiting;
    waiting.start();
    bool paused = false;
    while (!stopped()) {
        if (!paused && m_rk && waiting.elapsed() >= kPauseAfterMs) {
            pause(m_rk, true);
            paused = true;
        }
        postProgress();
        if (m_outbox.mailbox->waitForRoom(100) && post())
            break;
        if (m_rk)
            serveCallbacks(m_rk);
    }
    if (paused && !stopped())
        pause(m_rk, false);
    return !stopped();
}

void Worker::postProgress()
{
    {
        const std::lock_guard lock(*m_progressMutex);
        *m_latestProgress = m_progress;
    }
    if (m_progressQueued->exchange(true))
        return; // the one already waiting will carry these figures
    m_outbox.mailbox->post([s = m_outbox.session, id = m_token.id(), queued = m_progressQueued,
                            latest = m_latestProgress, mutex = m_progressMutex] {
        queued->store(false);
        if (s->jobId() != id)
            return;
        BrowseProgress p;
        {
            const std::lock_guard lock(*mutex);
            p = *latest;
        }
        Q_EMIT s->progress(p);
    });
}

void Worker::finish(const ClientError &error)
{
    // Cancelled by the pool, not by the session: the cluster was let go of.
    const ClientError end =
        m_token.cancelled() && !error.isError()
            ? ClientError{ClientError::Kind::Cancelled, BrowseSession::tr("disconnected"), false}
            : error;
    postProgress();
    m_outbox.mailbox->post([s = m_outbox.session, id = m_token.id(), end] {
        if (s->isRunning() && s->jobId() == id)
            Q_EMIT s->finished(end);
    });
}

} // namespace

void runBrowse(const jobs::JobToken &token, const BrowseOutbox &outbox,
               const QMap<QString, QString> &properties, const BrowseRequest &request)
{
    Worker(token, outbox, request).run(properties);
}

} // namespace periscope::client
