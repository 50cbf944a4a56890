#include "kafka.h"

#include <QtGlobal>
#include <algorithm>
#include <chrono>
#include <cstdio>

namespace periscope::test {

void KafkaDeleter::operator()(rd_kafka_t *rk) const
{
    if (rk)
        rd_kafka_destroy(rk);
}

std::atomic<int> deliveryFailures{0};
std::atomic<int> lastDeliveryError{0};

namespace {
void onDelivery(rd_kafka_t *, const rd_kafka_message_t *m, void *)
{
    if (m->err) {
        ++deliveryFailures;
        lastDeliveryError = m->err;
    }
}

KafkaHandle make(rd_kafka_type_t type, const std::string &bootstrap, const Props &extra)
{
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    Props props{{"bootstrap.servers", bootstrap}, {"log_level", "3"}};
    for (const auto &[k, v] : extra)
        props[k] = v;
    for (const auto &[k, v] : props) {
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
            qWarning("config %s=%s: %s", k.c_str(), v.c_str(), err);
            rd_kafka_conf_destroy(conf);
            return nullptr;
        }
    }
    if (type == RD_KAFKA_PRODUCER)
        rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof err);
    if (!rk)
        qWarning("rd_kafka_new: %s", err);
    else if (type == RD_KAFKA_CONSUMER)
        rd_kafka_poll_set_consumer(rk);
    return KafkaHandle(rk);
}
} // namespace

KafkaHandle makeProducer(const std::string &bootstrap, const Props &extra)
{
    return make(RD_KAFKA_PRODUCER, bootstrap, extra);
}

KafkaHandle makeConsumer(const std::string &bootstrap, const Props &extra)
{
    Props props{{"enable.partition.eof", "false"}, {"auto.offset.reset", "earliest"}};
    for (const auto &[k, v] : extra)
        props[k] = v;
    if (!props.count("group.id"))
        props["group.id"] = "periscope-test-unused";
    return make(RD_KAFKA_CONSUMER, bootstrap, props);
}

KafkaHandle makeAdmin(const std::string &bootstrap)
{
    return make(RD_KAFKA_PRODUCER, bootstrap, {});
}

int flushProducer(rd_kafka_t *producer, int timeoutMs)
{
    if (rd_kafka_flush(producer, timeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return rd_kafka_outq_len(producer);
    return 0;
}

Message toMessage(const rd_kafka_message_t *m)
{
    Message out;
    out.partition = m->partition;
    out.offset = m->offset;
    rd_kafka_timestamp_type_t type;
    out.timestamp = rd_kafka_message_timestamp(m, &type);
    out.keyNull = m->key == nullptr;
    if (m->key)
        out.key.assign(static_cast<const char *>(m->key), m->key_len);
    out.valueNull = m->payload == nullptr;
    if (m->payload)
        out.value.assign(static_cast<const char *>(m->payload), m->len);
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char *name;
        const void *value;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                           RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            out.headers.emplace_back(
                name, value ? std::string(static_cast<const char *>(value), size) : std::string());
    }
    return out;
}

std::vector<Message> readAll(const std::string &bootstrap, const std::string &topic, int partitions,
                             std::size_t count, int timeoutMs, const Props &extra)
{
    std::vector<Message> out;
    KafkaHandle consumer = makeConsumer(bootstrap, extra);
    if (!consumer)
        return out;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(consumer.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer.get(), 100);
        if (!m)
            continue;
        if (!m->err)
            out.push_back(toMessage(m));
        else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
            qWarning("consume: %s", rd_kafka_message_errstr(m));
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(consumer.get());
    return out;
}

rd_kafka_event_t *waitForEvent(rd_kafka_queue_t *queue, int timeoutMs)
{
    return rd_kafka_queue_poll(queue, timeoutMs);
}

namespace {
std::string topicResultError(rd_kafka_event_t *ev, bool create)
{
    if (!ev)
        return "timed out";
    if (rd_kafka_event_error(ev))
        return rd_kafka_event_error_string(ev);
    size_t n = 0;
    const rd_kafka_topic_result_t **results = nullptr;
    if (create)
        results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    else
        results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &n);
    for (size_t i = 0; i < n; ++i)
        if (rd_kafka_topic_result_error(results[i]))
            return rd_kafka_topic_result_error_string(results[i]);
    return {};
}
} // namespace

std::string createTopic(rd_kafka_t *admin, const std::string &name, int partitions,
                        const Props &configs)
{
    char err[512];
    rd_kafka_NewTopic_t *topic =
        rd_kafka_NewTopic_new(name.c_str(), partitions, 1, err, sizeof err);
    if (!topic)
        return err;
    for (const auto &[k, v] : configs)
        rd_kafka_NewTopic_set_config(topic, k.c_str(), v.c_str());
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin);
    rd_kafka_CreateTopics(admin, &topic, 1, nullptr, queue);
    rd_kafka_event_t *ev = waitForEvent(queue);
    std::string result = topicResultError(ev, true);
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_NewTopic_destroy(topic);
    rd_kafka_queue_destroy(queue);
    return result;
}

std::string deleteTopic(rd_kafka_t *admin, const std::string &name)
{
    rd_kafka_DeleteTopic_t *topic = rd_kafka_DeleteTopic_new(name.c_str());
    rd_kafka_queue_t *queue = rd_kafka_queue_new(admin);
    rd_kafka_DeleteTopics(admin, &topic, 1, nullptr, queue);
    rd_kafka_event_t *ev = waitForEvent(queue);
    std::string result = topicResultError(ev, false);
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_DeleteTopic_destroy(topic);
    rd_kafka_queue_destroy(queue);
    return result;
}

int produceEach(rd_kafka_t *producer, const std::string &topic, int partitions, int perPartition,
                const std::function<long long(int partition, int index)> &timestampOf)
{
    for (int p = 0; p < partitions; ++p)
        for (int i = 0; i < perPartition; ++i) {
            const std::string value = std::to_string(p) + ":" + std::to_string(i);
            rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(p),
                              RD_KAFKA_V_TIMESTAMP((timestampOf ? timestampOf(p, i) : 0)),
                              RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        }
    return flushProducer(producer);
}

int assignedCount(rd_kafka_t *consumer)
{
    rd_kafka_topic_partition_list_t *list = nullptr;
    if (rd_kafka_assignment(consumer, &list) != RD_KAFKA_RESP_ERR_NO_ERROR || !list)
        return 0;
    const int n = list->cnt;
    rd_kafka_topic_partition_list_destroy(list);
    return n;
}

KafkaHandle subscribe(const std::string &bootstrap, const std::string &group,
                      const std::string &topic, const Props &extra)
{
    Props props{{"group.id", group},
                {"enable.auto.commit", "false"},
                {"session.timeout.ms", "6000"},
                {"heartbeat.interval.ms", "300"}};
    for (const auto &[k, v] : extra)
        props[k] = v;
    KafkaHandle c = makeConsumer(bootstrap, props);
    if (!c)
        return c;
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(c.get(), topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::fprintf(stderr, "subscribe: %s\n", rd_kafka_err2str(err));
        return nullptr;
    }
    return c;
}

KafkaHandle joinGroup(const std::string &bootstrap, const std::string &group,
                      const std::string &topic, int partitions, const Props &extra)
{
    KafkaHandle c = subscribe(bootstrap, group, topic, extra);
    if (!c)
        return c;
    for (int i = 0; i < 1500 && assignedCount(c.get()) < partitions; ++i)
        if (rd_kafka_message_t *m = rd_kafka_consumer_poll(c.get(), 20))
            rd_kafka_message_destroy(m);
    if (assignedCount(c.get()) < partitions) {
        std::fprintf(stderr, "joinGroup: %s never got its %d partitions\n", group.c_str(),
                     partitions);
        return nullptr;
    }
    return c;
}

bool commitOffsets(rd_kafka_t *consumer, const std::string &topic,
                   const std::map<int, long long> &offsets)
{
    rd_kafka_topic_partition_list_t *list =
        rd_kafka_topic_partition_list_new(int(std::max<std::size_t>(offsets.size(), 1)));
    for (const auto &[partition, offset] : offsets)
        rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer, list, 0);
    rd_kafka_topic_partition_list_destroy(list);
    if (err)
        std::fprintf(stderr, "commitOffsets: %s\n", rd_kafka_err2str(err));
    return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

} // namespace periscope::test
