#include "demodata.h"

#include "admincall.h"
#include "demorecords.h"
#include "errors.h"
#include "jobs/mailbox.h"
#include "kafkaapi.h"
#include "kafkahandle.h"
#include "requests.h"

#include <QDateTime>
#include <QStringList>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <vector>

namespace periscope::client {

namespace {

using demo::kDayMs;
using demo::kOrders;
using demo::Record;
using demo::sample;
using demo::specs;
using demo::TopicSpec;

constexpr int kTimeoutMs = 10000;
constexpr int kTickMs = 50;       // the slow consumer takes one message per tick: ~20/s
constexpr int kTicksPerOrder = 4; // and the appender adds an order every 4th: ~5/s

using TopicPtr = std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t *)>;

TopicPtr openTopic(rd_kafka_t *rk, const TopicSpec &spec)
{
    char err[256];
    rd_kafka_topic_conf_t *conf = rd_kafka_topic_conf_new();
    rd_kafka_topic_conf_set(conf, "compression.codec", spec.compression, err, sizeof err);
    return TopicPtr(rd_kafka_topic_new(rk, spec.name, conf), rd_kafka_topic_destroy);
}

// Queues one record, waiting for room while the queue is full.
rd_kafka_resp_err_t produce(rd_kafka_t *rk, rd_kafka_topic_t *rkt, const Record &r,
                            const std::atomic<bool> &stopped)
{
    rd_kafka_headers_t *headers = nullptr;
    if (!r.headers.empty()) {
        headers = rd_kafka_headers_new(r.headers.size());
        for (const auto &[name, value] : r.headers)
            rd_kafka_header_add(headers, name.data(), ssize_t(name.size()), value.data(),
                                ssize_t(value.size()));
    }
    // The macros cast their arguments unparenthesised: plain variables only.
    const char *key = r.key ? r.key->data() : nullptr;
    const std::size_t keySize = r.key ? r.key->size() : 0;
    char *value = r.value ? const_cast<char *>(r.value->data()) : nullptr;
    const std::size_t valueSize = r.value ? r.value->size() : 0;
    rd_kafka_resp_err_t err;
    while (
        (err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_KEY(key, keySize), RD_KAFKA_V_VALUE(value, valueSize),
                                 RD_KAFKA_V_TIMESTAMP(r.timestamp), RD_KAFKA_V_HEADERS(headers),
                                 RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL &&
        !stopped)
        rd_kafka_poll(rk, 50);
    if (err && headers)
        rd_kafka_headers_destroy(headers); // still ours when producev refused the message
    return err;
}

qint64 held(const QList<PartitionOffsets> &offsets, const char *topic)
{
    qint64 n = 0;
    for (const PartitionOffsets &po : offsets)
        if (po.topic == QLatin1String(topic))
            n += po.messages();
    return n;
}

// Creates whichever demo topics are missing; *created counts them.
ClientError createTopics(rd_kafka_t *rk, int *created)
{
    char err[512];
    std::vector<rd_kafka_NewTopic_t *> requests;
    for (const TopicSpec &spec : specs()) {
        requests.push_back(rd_kafka_NewTopic_new(spec.name, spec.partitions, -1, err, sizeof err));
        for (const auto &[name, value] : spec.configs)
            rd_kafka_NewTopic_set_config(requests.back(), name, value);
    }
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, kTimeoutMs);
    rd_kafka_CreateTopics(rk, requests.data(), requests.size(), call.options(), call.queue());
    for (rd_kafka_NewTopic_t *request : requests)
        rd_kafka_NewTopic_destroy(request);
    ClientError error;
    rd_kafka_event_t *ev = call.wait(&error);
    if (!ev)
        return error;
    size_t n = 0;
    const rd_kafka_topic_result_t **results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    for (size_t i = 0; i < n; ++i) {
        const rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
        if (code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            continue;
        if (code) {
            const char *text = rd_kafka_topic_result_error_string(results[i]);
            error = toClientError(code, text ? QString::fromUtf8(text) : QString());
            error.message = QStringLiteral("%1: %2").arg(
                QString::fromUtf8(rd_kafka_topic_result_name(results[i])), error.message);
            return error;
        }
        ++*created;
    }
    return error;
}

// The offsets of every demo topic's partitions, as many as the cluster has (a topic made
// before us may differ from our spec). Retried while fresh topics settle.
ClientError countMessages(rd_kafka_t *rk, const jobs::JobToken &token,
                          const std::atomic<bool> &stopped, QList<PartitionOffsets> *out)
{
    ClientError error;
    for (int attempt = 0; attempt < 10 && !stopped; ++attempt) {
        if (attempt > 0 && !token.sleepFor(300))
            break;
        const Result<ClusterMetadata> md = fetchMetadata(rk, true, kTimeoutMs);
        QMap<QString, int> partitions;
        for (const TopicInfo &topic : md.value.topics)
            for (const TopicSpec &spec : specs())
                if (topic.name == QLatin1String(spec.name) && topic.error.isEmpty())
                    partitions.insert(topic.name, int(topic.partitions.size()));
        error =
            md.error.isError() ? md.error : toClientError(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        if (md.error.isError() || partitions.size() < int(specs().size()))
            continue;
        const Result<QList<PartitionOffsets>> offsets = fetchOffsets(rk, partitions, kTimeoutMs);
        error = offsets.error;
        for (const PartitionOffsets &po : offsets.value)
            if (!po.error.isEmpty())
                error = {ClientError::Kind::Broker, po.error, true};
        if (!error.isError()) {
            *out = offsets.value;
            return error;
        }
    }
    return error;
}

// `audit-archiver` commits half of each audit-log partition and leaves: an Empty group
// with lag.
ClientError commitHalf(const QList<PartitionOffsets> &offsets, QMap<QString, QString> props,
                       const HandleEventSink &sink, const std::atomic<bool> &stopped)
{
    props.insert(QStringLiteral("group.id"), QStringLiteral("audit-archiver"));
    props.insert(QStringLiteral("enable.auto.commit"), QStringLiteral("false"));
    QString text;
    KafkaPtr consumer = makeHandle(HandleType::Consumer, props, sink, &text);
    if (!consumer)
        return {ClientError::Kind::InvalidRequest, text, false};
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(4);
    for (const PartitionOffsets &po : offsets)
        if (po.topic == QLatin1String("audit-log"))
            rd_kafka_topic_partition_list_add(list, "audit-log", po.partition)->offset = po.end / 2;
    rd_kafka_queue_t *queue = rd_kafka_queue_new(consumer.get());
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(consumer.get(), list, queue, nullptr, nullptr);
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_event_t *ev = nullptr;
    for (int waited = 0; !err && !ev && !stopped && waited < kTimeoutMs; waited += 200)
        ev = rd_kafka_queue_poll(queue, 200);
    if (!err)
        err = ev ? rd_kafka_event_error(ev) : RD_KAFKA_RESP_ERR__TIMED_OUT;
    if (const rd_kafka_topic_partition_list_t *done =
            ev && !err ? rd_kafka_event_topic_partition_list(ev) : nullptr)
        for (int i = 0; i < done->cnt && !err; ++i)
            err = done->elems[i].err;
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(queue);
    return toClientError(err);
}

bool hasAssignment(rd_kafka_t *consumer)
{
    rd_kafka_topic_partition_list_t *list = nullptr;
    if (rd_kafka_assignment(consumer, &list) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return false;
    const bool any = list->cnt > 0;
    rd_kafka_topic_partition_list_destroy(list);
    return any;
}

} // namespace

// Shared by the owner and its job. The owner may be gone long before the job notices
// `stopped`; the job only reaches it through the mailbox, which closes with it.
struct DemoData::Run : std::enable_shared_from_this<Run>
{
    QString bootstrap;
    std::atomic<bool> stopped{false};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    jobs::MailboxPtr mailbox;
    DemoData *owner = nullptr; // reached only through the mailbox
    QString lastError;         // librdkafka's latest word on why a broker could not be reached

    void onEvent(const HandleEvent &event)
    {
        // librdkafka's threads: log a failure and remember it, nothing else.
        const bool connectFailed = event.kind == HandleEvent::Kind::Log
                                       ? event.facility == QLatin1String("FAIL")
                                       : event.code != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN;
        if (!connectFailed)
            return;
        spdlog::warn("demo data: librdkafka: {}", event.text.toStdString());
        QString text = event.text; // logs start with "[thrd:<name>]: "
        if (text.startsWith(QLatin1String("[thrd:")) && text.contains(QLatin1String("]: ")))
            text = text.mid(text.indexOf(QLatin1String("]: ")) + 3);
        std::lock_guard lock(mutex);
        lastError = humanTransportError(text);
    }

    QString why(const ClientError &error)
    {
        std::lock_guard lock(mutex);
        return lastError.isEmpty() ? error.message : lastError;
    }

    void report(bool ok, const QString &text)
    {
        failed = !ok;
        mailbox->post([o = owner, self = shared_from_this(), ok, text] {
            if (o->m_run != self || self->stopped)
                return;
            if (ok)
                Q_EMIT o->ready(text);
            else
                Q_EMIT o->failed(text);
        });
    }
};

DemoData::DemoData(QString bootstrap, QObject *parent)
    : QObject(parent)
    , m_bootstrap(std::move(bootstrap))
    , m_pool(QStringLiteral("demo data"), 1)
{}

DemoData::~DemoData()
{
    stop();
}

void DemoData::start()
{
    if (isRunning())
        return;
    m_run = std::make_shared<Run>();
    m_run->bootstrap = m_bootstrap;
    m_run->owner = this;
    m_run->mailbox = jobs::Mailbox::create(this);
    auto job = m_pool.submit([run = m_run](const jobs::JobToken &token) {
        work(run, token);
        return 0;
    });
    m_cancel = [job] { job.cancel(); };
}

void DemoData::stop()
{
    if (!m_run)
        return;
    m_run->stopped = true;
    m_run->mailbox->close();
    if (m_cancel)
        std::exchange(m_cancel, {})(); // wakes the job from its wait between ticks
    m_run.reset();
}

bool DemoData::isRunning() const
{
    return m_run && !m_run->stopped && !m_run->failed;
}

void DemoData::work(const std::shared_ptr<Run> &run, const jobs::JobToken &token)
{
    // Stopped before it got going: nothing may reach the cluster, not even the topics.
    const auto stopping = [&] {
        if (token.cancelled())
            run->stopped = true;
        return bool(run->stopped);
    };
    if (stopping())
        return;
    const HandleEventSink sink = [run](const HandleEvent &event) { run->onEvent(event); };
    const QMap<QString, QString> common = {
        {QStringLiteral("bootstrap.servers"), run->bootstrap},
        {QStringLiteral("client.id"), QStringLiteral("periscope-demo")},
        {QStringLiteral("socket.connection.setup.timeout.ms"), QStringLiteral("5000")}};
    QMap<QString, QString> producerProps = common;
    producerProps.insert(QStringLiteral("message.timeout.ms"), QStringLiteral("30000"));
    producerProps.insert(QStringLiteral("linger.ms"), QStringLiteral("20"));
    QString text;
    KafkaPtr producer = makeHandle(HandleType::Producer, producerProps, sink, &text);
    if (!producer)
        return run->report(false, tr("Cannot start the demo data: %1").arg(text));
    rd_kafka_t *rk = producer.get();
    const auto fail = [&](const QString &what, const ClientError &error) {
        run->report(false,
                    tr("Demo data on %1: %2: %3").arg(run->bootstrap, what, run->why(error)));
    };

    // Fail fast, and say why, when nothing answers there.
    if (const Result<ClusterMetadata> probe = fetchMetadata(rk, false, 5000); !probe.ok())
        return fail(tr("cannot reach the cluster"), probe.error);
    if (stopping())
        return;
    int created = 0;
    if (const ClientError error = createTopics(rk, &created); error.isError())
        return run->report(
            false,
            tr("Demo data on %1: cannot create topic %2").arg(run->bootstrap, error.message));
    std::vector<TopicPtr> topics;
    for (const TopicSpec &spec : specs())
        topics.push_back(openTopic(rk, spec));
    QList<PartitionOffsets> offsets;
    if (const ClientError error = countMessages(rk, token, run->stopped, &offsets); error.isError())
        return fail(tr("cannot read the topics' offsets"), error);

    // Top every topic up to its sample count: a second run on the same cluster adds nothing.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 written = 0;
    for (std::size_t t = 0; t < specs().size(); ++t) {
        const TopicSpec &spec = specs()[t];
        for (int i = int(held(offsets, spec.name)); i < spec.count && !run->stopped; ++i) {
            const Record r = sample(spec, i, now - kDayMs + kDayMs * i / spec.count);
            if (const rd_kafka_resp_err_t err = produce(rk, topics[t].get(), r, run->stopped))
                return fail(tr("cannot produce to %1").arg(QLatin1String(spec.name)),
                            toClientError(err));
            ++written;
        }
    }
    const auto flushDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(45);
    while (rd_kafka_flush(rk, 200) == RD_KAFKA_RESP_ERR__TIMED_OUT && !run->stopped &&
           std::chrono::steady_clock::now() < flushDeadline) {
    }
    if (run->stopped)
        return;
    // The handle has no delivery reports: the end offsets tell what arrived.
    if (const ClientError error = countMessages(rk, token, run->stopped, &offsets); error.isError())
        return fail(tr("cannot read the topics' offsets"), error);
    for (const TopicSpec &spec : specs())
        if (held(offsets, spec.name) < spec.count)
            return fail(tr("only %1 of %2 messages reached %3")
                            .arg(held(offsets, spec.name))
                            .arg(spec.count)
                            .arg(QLatin1String(spec.name)),
                        toClientError(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT));
    if (const ClientError error = commitHalf(offsets, common, sink, run->stopped); error.isError())
        return fail(tr("cannot commit offsets for audit-archiver"), error);

    QMap<QString, QString> consumerProps = common;
    consumerProps.insert(QStringLiteral("group.id"), QStringLiteral("order-processor"));
    consumerProps.insert(QStringLiteral("enable.auto.commit"), QStringLiteral("true"));
    consumerProps.insert(QStringLiteral("auto.commit.interval.ms"), QStringLiteral("1000"));
    consumerProps.insert(QStringLiteral("auto.offset.reset"), QStringLiteral("earliest"));
    // Left without a goodbye when the console quits with its broker: the next start's member
    // then waits this long, not Kafka's 45 s, for the old one to expire.
    consumerProps.insert(QStringLiteral("session.timeout.ms"), QStringLiteral("10000"));
    KafkaPtr consumer = makeHandle(HandleType::Consumer, consumerProps, sink, &text);
    if (!consumer)
        return run->report(false, tr("Cannot start the demo consumer: %1").arg(text));
    rd_kafka_poll_set_consumer(consumer.get());
    rd_kafka_topic_partition_list_t *subscription = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(subscription, kOrders, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer.get(), subscription);
    rd_kafka_topic_partition_list_destroy(subscription);

    // Ready once the group has joined, so it shows as Stable from the start. Then consume
    // slowly (lag that shrinks for minutes) and keep appending orders (charts that move).
    const QString summary =
        tr("Demo data ready on %1: %2 topics created, %3 messages written. Group "
           "order-processor consumes slowly while new orders keep arriving.")
            .arg(run->bootstrap)
            .arg(created)
            .arg(written);
    const auto joinDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int nextOrder = int(std::max<qint64>(held(offsets, kOrders), specs().front().count));
    bool announced = false;
    for (int tick = 1; !run->stopped; ++tick) {
        if (rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer.get(), 0))
            rd_kafka_message_destroy(m);
        if (!announced &&
            (hasAssignment(consumer.get()) || std::chrono::steady_clock::now() > joinDeadline)) {
            announced = true;
            run->report(true, summary);
        }
        if (announced && tick % kTicksPerOrder == 0)
            produce(rk, topics.front().get(),
                    sample(specs().front(), nextOrder++, QDateTime::currentMSecsSinceEpoch()),
                    run->stopped);
        rd_kafka_poll(rk, 0);
        if (!token.sleepFor(kTickMs))
            run->stopped = true;
    }
    // Stopping, often with the local broker about to go too: the orders still queued are
    // dropped rather than waited for, and the consumer closes with its handle, within a
    // bound (see kafkahandle.cpp).
    rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
}

} // namespace periscope::client
