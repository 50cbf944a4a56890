#pragma once

#include "jobs/mailbox.h"
#include "jobs/pending.h"
#include "kafkahandle.h"
#include "messagebatch.h"
#include "types.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <optional>
#include <vector>

namespace periscope::client {

class ClusterClient;

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

// Writes messages to a cluster. Each produce() returns at once; the sending runs as a job
// on the cluster's stream pool and the answer comes when every message is delivered or has
// failed, which takes at most the producer's timeout (librdkafka's message.timeout.ms).
// A failed login ends the send at once with the login's error; a broker that cannot be
// reached is reported by problem() as soon as librdkafka says so, while the send goes on
// trying until the timeout. Disconnecting the cluster cancels the send.
class Producer final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 30000;

    explicit Producer(ClusterClient *client, int timeoutMs = DefaultTimeoutMs,
                      QObject *parent = nullptr);
    ~Producer() override;

    // Fails as a whole when no producer can be made (a bad compression name, a bad
    // property), the login fails or the cluster is gone; otherwise every message has its
    // own Delivery.
    jobs::Pending<Result<QList<Delivery>>> produce(const QString &topic,
                                                   QList<OutgoingMessage> messages,
                                                   const ProduceOptions &options = {});

    // `count` copies of `message` where "{{i}}" in the key and value becomes 0, 1, 2, …
    static QList<OutgoingMessage> makeNumbered(const OutgoingMessage &message, int count);

Q_SIGNALS:
    // What librdkafka reported while sending, such as a broker that cannot be reached.
    void problem(const QString &text);

private:
    struct Handles;

    QPointer<ClusterClient> m_client;
    int m_timeoutMs;
    std::shared_ptr<Handles> m_handles;
    jobs::MailboxPtr m_mailbox;
};

} // namespace periscope::client
