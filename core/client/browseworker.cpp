#include "browseworker.h"

#include "errors.h"
#include "kafkaapi.h"
#include "kafkahandle.h"
#include "requests.h"

#include <QElapsedTimer>
#include <unordered_map>

namespace periscope::client {

namespace {

constexpr int kBatchMessages = 20000;
constexpr qint64 kBatchBytes = 8 << 20;
constexpr qint64 kFlushMs = 50;
// With every broker unreachable this long, the browse ends with what it has.
constexpr qint64 kBrokersDownGiveUpMs = 10000;

struct PartitionPlan
{
    qint64 start = 0;
    qint64 end = -1; // stop before this offset (Stop::Now); -1: no end
    bool done = false;
};

class Worker final
{
public:
    Worker(std::shared_ptr<BrowseChannel> channel, const BrowseRequest &request)
        : m_channel(std::move(channel))
        , m_request(request)
    {}

    void run(const QMap<QString, QString> &properties);

private:
    bool plan(rd_kafka_t *rk);
    void consume(rd_kafka_t *rk);
    void take(const rd_kafka_message_t *m);
    void flush(bool force);
    void finish(const ClientError &error);
    void notice(const QString &text)
    {
        m_channel->post([text](BrowseSession *s) { Q_EMIT s->notice(text); });
    }
    bool allDone() const;

    std::shared_ptr<BrowseChannel> m_channel;
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
    props.insert(QStringLiteral("queued.max.messages.kbytes"), QStringLiteral("262144"));
    // librdkafka 2.0.2 idles a partition for a whole second once more than this many
    // messages wait locally; the byte cap above bounds memory instead.
    props.insert(QStringLiteral("queued.min.messages"), QStringLiteral("10000000"));
    QString why;
    std::weak_ptr<BrowseChannel> weak = m_channel;
    KafkaPtr handle = makeHandle(
        HandleType::Consumer, props,
        [weak](const HandleEvent &e) {
            auto channel = weak.lock();
            if (!channel)
                return;
            if (e.kind == HandleEvent::Kind::Log && e.facility == QLatin1String("FAIL")) {
                std::lock_guard lock(channel->mutex);
                channel->lastTransportError = humanTransportError(e.text);
            } else if (e.kind == HandleEvent::Kind::Error) {
                if (e.code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
                    channel->brokersDown = true;
                // A vanished topic is reported through the error callback, not as a message.
                if (e.code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                    e.code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                    e.code == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
                    channel->topicGone = true;
            }
        },
        &why);
    if (!handle) {
        finish({ClientError::Kind::InvalidRequest, why, false});
        return;
    }
    if (!plan(handle.get()))
        return;
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
                QStringLiteral("topic %1 does not exist").arg(m_request.topic), false});
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
        notice(QStringLiteral("Offset %1 is below the log start of some partitions; "
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
    while (!m_channel->cancelled && !allDone() && !error.isError()) {
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
                             QStringLiteral("topic %1 no longer exists").arg(m_request.topic),
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
        if (m_channel->topicGone && !error.isError())
            error = {ClientError::Kind::UnknownTopic,
                     QStringLiteral("topic %1 no longer exists").arg(m_request.topic), false};
        if (n > 0 || !m_channel->brokersDown) {
            downSince = n > 0 ? -1 : downSince;
            if (n > 0)
                m_channel->brokersDown = false;
            continue;
        }
        if (downSince < 0)
            downSince = m_clock.elapsed();
        else if (m_clock.elapsed() - downSince > kBrokersDownGiveUpMs) {
            std::lock_guard lock(m_channel->mutex);
            error = {ClientError::Kind::Unreachable,
                     m_channel->lastTransportError.isEmpty()
                         ? QStringLiteral("all brokers are down")
                         : m_channel->lastTransportError,
                     true};
        }
    }
    rd_kafka_queue_destroy(queue);
    rd_kafka_assign(rk, nullptr);
    flush(true);
    finish(m_channel->cancelled ? ClientError{} : error);
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
    const BrowseProgress progress = m_progress;
    if (!m_batch.isEmpty()) {
        m_channel->post(
            [batch = std::move(m_batch)](BrowseSession *s) { Q_EMIT s->batchReady(batch); });
        m_batch = MessageBatch();
        m_pendingBytes = 0;
    }
    m_channel->post([progress](BrowseSession *s) { Q_EMIT s->progress(progress); });
}

void Worker::finish(const ClientError &error)
{
    m_channel->post([error](BrowseSession *s) {
        if (s->isRunning())
            Q_EMIT s->finished(error);
    });
}

} // namespace

void runBrowse(const std::shared_ptr<BrowseChannel> &channel,
               const QMap<QString, QString> &properties, const BrowseRequest &request)
{
    Worker(channel, request).run(properties);
}

} // namespace periscope::client
