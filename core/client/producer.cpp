#include "producer.h"

#include "kafkaapi.h"

#include <QPromise>
#include <atomic>
#include <memory>
#include <thread>

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

} // namespace

Producer::Producer(QMap<QString, QString> properties, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_properties(std::move(properties))
    , m_timeoutMs(timeoutMs)
{}

Producer::~Producer() = default;

KafkaPtr Producer::handleFor(const ProduceOptions &options, QString *error)
{
    const QString name = options.compression + QLatin1Char('/') + QString::number(options.acks);
    if (KafkaPtr handle = m_handles.value(name))
        return handle;
    QMap<QString, QString> properties = m_properties;
    properties.insert(QStringLiteral("message.timeout.ms"), QString::number(m_timeoutMs));
    properties.insert(QStringLiteral("acks"), QString::number(options.acks));
    if (!options.compression.isEmpty())
        properties.insert(QStringLiteral("compression.type"), options.compression);
    KafkaPtr handle = makeHandle(
        HandleType::Producer, properties, [](const HandleEvent &) {}, error,
        [](rd_kafka_conf_t *conf) { rd_kafka_conf_set_dr_msg_cb(conf, onDelivery); });
    if (handle)
        m_handles.insert(name, handle);
    return handle;
}

Pending<Result<QList<Delivery>>> Producer::produce(const QString &topic,
                                                   QList<OutgoingMessage> messages,
                                                   const ProduceOptions &options)
{
    auto promise = std::make_shared<QPromise<Result<QList<Delivery>>>>();
    Pending<Result<QList<Delivery>>> pending(promise->future());
    promise->start();
    QString error;
    KafkaPtr handle = handleFor(options, &error);
    if (!handle) {
        Result<QList<Delivery>> r;
        r.error = {ClientError::Kind::InvalidRequest, error, false};
        promise->addResult(std::move(r));
        promise->finish();
        return pending;
    }
    std::thread([promise, handle = std::move(handle), topic = topic.toUtf8(),
                 messages = std::move(messages), partition = options.partition]() mutable {
        rd_kafka_t *rk = handle.get();
        auto job = std::make_unique<Job>();
        const std::size_t count = std::size_t(messages.size());
        job->deliveries.resize(count);
        job->slots.resize(count);
        job->pending = qsizetype(count);
        for (std::size_t i = 0; i < count; ++i) {
            job->slots[i] = {job.get(), qsizetype(i)};
            rd_kafka_resp_err_t err;
            // A full local queue drains as reports are served; the message then fits.
            while ((err = send(rk, topic, partition, messages[qsizetype(i)], &job->slots[i])) ==
                   RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(rk, 50);
            if (err) {
                job->deliveries[i].partition = partition;
                job->deliveries[i].error = QString::fromUtf8(rd_kafka_err2str(err));
                job->pending.fetch_sub(1, std::memory_order_acq_rel);
            }
        }
        // librdkafka reports every message by message.timeout.ms at the latest.
        while (job->pending.load(std::memory_order_acquire) > 0)
            rd_kafka_poll(rk, 50);
        Result<QList<Delivery>> r;
        r.value = QList<Delivery>(job->deliveries.begin(), job->deliveries.end());
        handle.reset();
        promise->addResult(std::move(r));
        promise->finish();
    }).detach();
    return pending;
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
