#pragma once

#include <atomic>
#include <functional>
#include <librdkafka/rdkafka.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace periscope::test {

struct KafkaDeleter
{
    void operator()(rd_kafka_t *rk) const;
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using Props = std::map<std::string, std::string>;

// Test helpers over librdkafka's C API. Failures print librdkafka's message and return
// null / false so that QVERIFY shows where.
KafkaHandle makeProducer(const std::string &bootstrap, const Props &extra = {});
KafkaHandle makeConsumer(const std::string &bootstrap, const Props &extra = {});
KafkaHandle makeAdmin(const std::string &bootstrap);

// Producers made here count failed deliveries (and keep the last error) in these.
extern std::atomic<int> deliveryFailures;
extern std::atomic<int> lastDeliveryError;

// Waits until every queued message is delivered; returns the number still queued.
int flushProducer(rd_kafka_t *producer, int timeoutMs = 60000);
// Produces perPartition messages "P:I" to each of the topic's partitions (with the given
// timestamps when timestampOf is set) and flushes; what flushProducer returns.
int produceEach(rd_kafka_t *producer, const std::string &topic, int partitions, int perPartition,
                const std::function<long long(int partition, int index)> &timestampOf = {});

struct Message
{
    int partition = -1;
    std::int64_t offset = -1;
    std::int64_t timestamp = -1;
    bool keyNull = true;
    std::string key;
    bool valueNull = true;
    std::string value;
    std::vector<std::pair<std::string, std::string>> headers;
};
Message toMessage(const rd_kafka_message_t *m);

// Assigns all of topic's partitions from the beginning and reads until count messages
// (or the time-out); no group.
std::vector<Message> readAll(const std::string &bootstrap, const std::string &topic, int partitions,
                             std::size_t count, int timeoutMs = 60000, const Props &extra = {});

// Admin operations; each returns an empty string on success or the error text.
std::string createTopic(rd_kafka_t *admin, const std::string &name, int partitions,
                        const Props &configs = {});
std::string deleteTopic(rd_kafka_t *admin, const std::string &name);

// How many partitions the consumer is assigned now.
int assignedCount(rd_kafka_t *consumer);
// A member of `group` subscribed to `topic` that has polled until it owns `partitions`
// partitions (null when it never does). No auto-commit: tests commit what they mean.
// A member of group subscribed to topic, without auto-commit; it has not polled yet.
// Null (with the reason on stderr) when the subscription is refused.
KafkaHandle subscribe(const std::string &bootstrap, const std::string &group,
                      const std::string &topic, const Props &extra = {});
KafkaHandle joinGroup(const std::string &bootstrap, const std::string &group,
                      const std::string &topic, int partitions, const Props &extra = {});
// Commits partition -> offset of the topic for the consumer's group; false on an error.
bool commitOffsets(rd_kafka_t *consumer, const std::string &topic,
                   const std::map<int, long long> &offsets);

// Waits for the result event of an admin call on its queue.
rd_kafka_event_t *waitForEvent(rd_kafka_queue_t *queue, int timeoutMs = 15000);

} // namespace periscope::test
