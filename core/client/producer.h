#pragma once

#include "kafkahandle.h"
#include "messagebatch.h"
#include "pending.h"
#include "types.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <optional>
#include <vector>

namespace periscope::client {

struct OutgoingMessage
{
    std::optional<QByteArray> key, value; // nullopt: null
    std::vector<MessageHeader> headers;
    qint64 timestamp = -1; // ms since the epoch; -1: the time it is sent
};

struct ProduceOptions
{
    int partition = -1;  // -1: the partitioner picks, by key
    QString compression; // empty: the connection's own (none unless it says otherwise)
    int acks = -1;       // -1: all in-sync replicas
};

// One message's fate, in the order the messages were given.
struct Delivery
{
    int partition = -1;
    qint64 offset = -1;
    QString error; // empty when delivered
    bool ok() const { return error.isEmpty(); }
};

// Writes messages to a cluster. Each produce() returns at once; the sending runs on a
// worker thread and the answer comes when every message is delivered or has failed, which
// takes at most the producer's timeout (librdkafka's message.timeout.ms). Nothing here
// blocks its caller, not even destruction: a running produce keeps the handle it uses.
class Producer final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 30000;

    explicit Producer(QMap<QString, QString> properties, int timeoutMs = DefaultTimeoutMs,
                      QObject *parent = nullptr);
    ~Producer() override;

    // Fails as a whole only when no producer can be made (a bad compression name, a bad
    // property); otherwise every message has its own Delivery.
    Pending<Result<QList<Delivery>>> produce(const QString &topic, QList<OutgoingMessage> messages,
                                             const ProduceOptions &options = {});

    // `count` copies of `message` where "{{i}}" in the key and value becomes 0, 1, 2, …
    static QList<OutgoingMessage> makeNumbered(const OutgoingMessage &message, int count);

private:
    // Compression and acks are per-handle settings in librdkafka, so each combination in
    // use gets its own handle, kept for later produce() calls.
    KafkaPtr handleFor(const ProduceOptions &options, QString *error);

    QMap<QString, QString> m_properties;
    int m_timeoutMs;
    QMap<QString, KafkaPtr> m_handles;
};

} // namespace periscope::client
