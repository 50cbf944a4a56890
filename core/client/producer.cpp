#include "producer.h"

#include "clusterclient.h"
#include "errors.h"
#include "kafkaapi.h"
#include "logging/redact.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

namespace periscope::client {

namespace {

struct Job;

// Each message's opaque: where its delivery report goes.
struct Slot
{
    Job *job = nullptr;
    qsizetype index = 0;
};

struct Job
{
    std::vector<Delivery> deliveries;
    std::vector<Slot> slots;
    std::atomic<qsizetype> pending{0};
};

// Runs on whichever thread polls the handle, possibly another produce()'s: each message
// knows its own job, and a job lives until its last report has come.
void onDelivery(rd_kafka_t *, const rd_kafka_message_t *message, void *)
{
    auto *slot = static_cast<Slot *>(message->_private);
    if (!slot)
        return;
    Delivery &d = slot->job->deliveries[std::size_t(slot->index)];
    d.partition = message->partition;
    if (message->err)
        d.error = QString::fromUtf8(rd_kafka_err2str(message->err));
    else
        d.offset = message->offset;
    slot->job->pending.fetch_sub(1, std::memory_order_acq_rel);
}

rd_kafka_headers_t *toHeaders(const std::vector<MessageHeader> &headers)
{
    if (headers.empty())
        return nullptr;
    rd_kafka_headers_t *h = rd_kafka_headers_new(headers.size());
    for (const MessageHeader &header : headers)
        rd_kafka_header_add(h, header.name.constData(), header.name.size(),
                            header.isNull ? nullptr : header.value.constData(),
                            header.isNull ? 0 : header.value.size());
    return h;
}

rd_kafka_resp_err_t send(rd_kafka_t *rk, const QByteArray &topic, int partition,
                         const OutgoingMessage &m, Slot *slot)
{
    rd_kafka_headers_t *headers = toHeaders(m.headers);
    // A present but empty key or value keeps a non-null pointer: librdkafka then writes
    // it as empty rather than null.
    const char *key = m.key ? m.key->constData() : nullptr;
    const char *value = m.value ? m.value->constData() : nullptr;
    const std::size_t keySize = m.key ? std::size_t(m.key->size()) : 0;
    const std::size_t valueSize = m.value ? std::size_t(m.value->size()) : 0;
    const int64_t timestamp = m.timestamp < 0 ? 0 : m.timestamp;
    const int32_t toPartition = partition < 0 ? RD_KAFKA_PARTITION_UA : partition;
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic.constData()), RD_KAFKA_V_PARTITION(toPartition),
        RD_KAFKA_V_KEY(key, keySize), RD_KAFKA_V_VALUE(const_cast<char *>(value), valueSize),
        RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(slot), RD_KAFKA_V_END);
    if (err && headers)
        rd_kafka_headers_destroy(headers);
    return err;
}

// What librdkafka reported about one producer handle, outside any message: read by the
// job that sends on it, and passed on to the Producer's problem() as it comes.
qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Watch
{
    std::mutex mutex;
    QString authError;       // the login failed: sending on cannot succeed
    QString transportError;  // the latest connection failure
    qint64 transportAt = -1; // when, on the monotonic clock (ms)
    jobs::MailboxPtr mailbox;
    Producer *owner = nullptr; // used only through the mailbox, which closes with it

    void onEvent(const HandleEvent &e)
    {
        const bool fail = e.kind == HandleEvent::Kind::Log && e.facility == QLatin1String("FAIL");
        if (e.kind == HandleEvent::Kind::Log && !fail)
            return;
        const QString text = humanTransportError(logging::redactSecrets(e.text));
        const bool auth = e.code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
                          e.code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
                          (fail && (e.text.contains(QLatin1String("SASL")) ||
                                    e.text.contains(QLatin1String("SSL handshake"))));
        {
            const std::lock_guard lock(mutex);
            if (auth) {
                authError = text;
            } else if (fail || e.code == RD_KAFKA_RESP_ERR__TRANSPORT ||
                       e.code == RD_KAFKA_RESP_ERR__RESOLVE) {
                transportError = text;
                transportAt = monotonicMs();
            } else if (e.code != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
                return;
        }
        const QString shown = auth ? Producer::tr("authentication failed: %1").arg(text) : text;
        mailbox->post([o = owner, shown] { Q_EMIT o->problem(shown); });
    }
    QString auth()
    {
        const std::lock_guard lock(mutex);
        return authError;
    }
    // The latest connection failure since `sinceMs`: each send explains only its own
    // time-outs, also when two sends share the handle.
    QString transportSince(qint64 sinceMs)
    {
        const std::lock_guard lock(mutex);
        return transportAt >= sinceMs ? transportError : QString();
    }
};

struct Sender
{
    KafkaPtr handle;
    std::shared_ptr<Watch> watch;
};

} // namespace

// The handles made so far, one per combination of compression and acks (per-handle
// settings in librdkafka), kept for later sends. Used by the jobs, one at a time or more.
struct Producer::Handles
{
    std::mutex mutex;
    QMap<QString, Sender> byOptions;

    Sender get(const QMap<QString, QString> &base, int timeoutMs, const ProduceOptions &options,
               const jobs::MailboxPtr &mailbox, Producer *owner, QString *error)
    {
        const QString name = options.compression + QLatin1Char('/') + QString::number(options.acks);
        {
            const std::lock_guard lock(mutex);
            if (const auto it = byOptions.constFind(name); it != byOptions.cend())
                return *it;
        }
        QMap<QString, QString> properties = base;
        properties.insert(QStringLiteral("message.timeout.ms"), QString::number(timeoutMs));
        properties.insert(QStringLiteral("acks"), QString::number(options.acks));
        if (!options.compression.isEmpty())
            properties.insert(QStringLiteral("compression.type"), options.compression);
        auto watch = std::make_shared<Watch>();
        watch->mailbox = mailbox;
        watch->owner = owner;
        std::weak_ptr<Watch> weak = watch;
        KafkaPtr handle = makeHandle(
            HandleType::Producer, properties,
            [weak](const HandleEvent &e) {
                if (const auto w = weak.lock())
                    w->onEvent(e);
            },
            error, [](rd_kafka_conf_t *conf) { rd_kafka_conf_set_dr_msg_cb(conf, onDelivery); });
        if (!handle)
            return {};
        const std::lock_guard lock(mutex);
        return *byOptions.insert(name, {handle, watch});
    }

    // A handle whose login failed is not used again: the next send starts afresh.
    void forget(const KafkaPtr &handle)
    {
        const std::lock_guard lock(mutex);
        for (auto it = byOptions.begin(); it != byOptions.end(); ++it)
            if (it->handle == handle) {
                byOptions.erase(it);
                return;
            }
    }
};

namespace {

QList<Delivery> sendAll(const jobs::JobToken &token, const Sender &sender, const QByteArray &topic,
                        const QList<OutgoingMessage> &messages, int partition)
{
    rd_kafka_t *rk = sender.handle.get();
    auto job = std::make_unique<Job>();
    const std::size_t count = std::size_t(messages.size());
    job->deliveries.resize(count);
    job->slots.resize(count);
    job->pending = qsizetype(count);
    // Once the login failed or the job was cancelled, nothing more is sent and what waits
    // is purged: each purged message is reported at once.
    bool purged = false;
    const auto stopping = [&] {
        if (!purged && (token.cancelled() || !sender.watch->auth().isEmpty())) {
            rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
            purged = true;
        }
        return purged;
    };
    for (std::size_t i = 0; i < count; ++i) {
        job->slots[i] = {job.get(), qsizetype(i)};
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__PURGE_QUEUE;
        // A full local queue drains as reports are served; the message then fits.
        while (!stopping() && (err = send(rk, topic, partition, messages[qsizetype(i)],
                                          &job->slots[i])) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 50);
        if (err) {
            job->deliveries[i].partition = partition;
            job->deliveries[i].error = QString::fromUtf8(rd_kafka_err2str(err));
            job->pending.fetch_sub(1, std::memory_order_acq_rel);
        }
    }
    // librdkafka reports every message by message.timeout.ms at the latest.
    while (job->pending.load(std::memory_order_acquire) > 0) {
        rd_kafka_poll(rk, 50);
        stopping();
    }
    return QList<Delivery>(job->deliveries.begin(), job->deliveries.end());
}

} // namespace

Producer::Producer(ClusterClient *client, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_timeoutMs(timeoutMs)
    , m_handles(std::make_shared<Handles>())
    , m_mailbox(jobs::Mailbox::create(this))
{}

Producer::~Producer() = default;

jobs::Pending<Result<QList<Delivery>>> Producer::produce(const QString &topic,
                                                         QList<OutgoingMessage> messages,
                                                         const ProduceOptions &options)
{
    using Answer = Result<QList<Delivery>>;
    if (!m_client)
        return jobs::readyPending(
            Answer{{}, {ClientError::Kind::Cancelled, tr("disconnected"), false}});
    return m_client->streamPool().submit(
        [handles = m_handles, properties = m_client->settings().properties, timeoutMs = m_timeoutMs,
         mailbox = m_mailbox, owner = this, topic = topic.toUtf8(), messages = std::move(messages),
         options](const jobs::JobToken &token) {
            Answer r;
            if (token.cancelled()) {
                r.error = {ClientError::Kind::Cancelled, tr("disconnected"), false};
                return r;
            }
            QString error;
            const Sender sender =
                handles->get(properties, timeoutMs, options, mailbox, owner, &error);
            if (!sender.handle) {
                r.error = {ClientError::Kind::InvalidRequest, error, false};
                return r;
            }
            const qint64 started = monotonicMs();
            r.value = sendAll(token, sender, topic, messages, options.partition);
            if (const QString auth = sender.watch->auth(); !auth.isEmpty()) {
                handles->forget(sender.handle);
                r.error = {ClientError::Kind::Authentication,
                           tr("authentication failed: %1").arg(auth), false};
            } else if (token.cancelled()) {
                r.error = {ClientError::Kind::Cancelled, tr("disconnected"), false};
            } else if (const QString down = sender.watch->transportSince(started);
                       !down.isEmpty()) {
                // A message that timed out while no broker answered says why.
                for (Delivery &d : r.value)
                    if (!d.ok() && d.error.contains(QLatin1String("timed out")))
                        d.error = tr("%1 (%2)").arg(d.error, down);
            }
            return r;
        });
}
QList<OutgoingMessage> Producer::makeNumbered(const OutgoingMessage &message, int count)
{
    static const QByteArray placeholder = QByteArrayLiteral("{{i}}");
    QList<OutgoingMessage> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        OutgoingMessage m = message;
        const QByteArray n = QByteArray::number(i);
        if (m.key)
            m.key->replace(placeholder, n);
        if (m.value)
            m.value->replace(placeholder, n);
        out.append(std::move(m));
    }
    return out;
}

} // namespace periscope::client
