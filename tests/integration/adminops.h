// Admin requests through librdkafka's C API for the admin tests, each waiting for its
// result and returning plain values.
#pragma once

#include "kafka.h"

#include <QStringList>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace periscope::test {

// One admin request and its result event, released together.
class Call
{
public:
    Call(rd_kafka_t *rk, const std::function<void(rd_kafka_queue_t *)> &issue)
        : m_queue(rd_kafka_queue_new(rk))
    {
        issue(m_queue);
        m_event = waitForEvent(m_queue, 20000);
    }
    ~Call()
    {
        if (m_event)
            rd_kafka_event_destroy(m_event);
        rd_kafka_queue_destroy(m_queue);
    }
    Call(const Call &) = delete;
    Call &operator=(const Call &) = delete;
    rd_kafka_event_t *event() const { return m_event; }
    rd_kafka_resp_err_t error() const
    {
        return m_event ? rd_kafka_event_error(m_event) : RD_KAFKA_RESP_ERR__TIMED_OUT;
    }

private:
    rd_kafka_queue_t *m_queue;
    rd_kafka_event_t *m_event = nullptr;
};

struct Config
{
    std::string value;
    rd_kafka_ConfigSource_t source;
    bool readOnly;
    bool isDefault;
};

// A per-topic (or per-resource) admin result: the error and its message.
struct Result
{
    rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR__FAIL;
    std::string message;
};

// Committed offsets of one group, as partition -> offset per topic.
using Offsets = std::map<std::string, std::map<int, std::int64_t>>;

inline Offsets toOffsets(const rd_kafka_topic_partition_list_t *list)
{
    Offsets out;
    for (int i = 0; list && i < list->cnt; ++i)
        if (list->elems[i].offset >= 0)
            out[list->elems[i].topic][list->elems[i].partition] = list->elems[i].offset;
    return out;
}

// Splits "key=value" strings, as the data-driven rows carry them.
inline Props toProps(const QStringList &pairs)
{
    Props out;
    for (const QString &p : pairs)
        out[p.section(QLatin1Char('='), 0, 0).toStdString()] =
            p.section(QLatin1Char('='), 1).toStdString();
    return out;
}

// Topic configs every Kafka client and UI expects to find described.
inline const char *const kStandardTopicConfigs[] = {
    "cleanup.policy",        "compression.type",
    "delete.retention.ms",   "max.message.bytes",
    "min.insync.replicas",   "message.timestamp.type",
    "retention.bytes",       "retention.ms",
    "segment.bytes",         "segment.ms",
    "flush.messages",        "unclean.leader.election.enable",
    "min.compaction.lag.ms", "max.compaction.lag.ms"};

class AdminOps
{
public:
    void setHandle(rd_kafka_t *rk) { m_rk = rk; }

    int partitionCount(const std::string &topic)
    {
        rd_kafka_topic_t *t = rd_kafka_topic_new(m_rk, topic.c_str(), nullptr);
        const struct rd_kafka_metadata *md = nullptr;
        int count = -1;
        if (rd_kafka_metadata(m_rk, 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
            count = md->topics[0].partition_cnt;
        if (md)
            rd_kafka_metadata_destroy(md);
        rd_kafka_topic_destroy(t);
        return count;
    }

    bool listed(const std::string &topic)
    {
        const struct rd_kafka_metadata *md = nullptr;
        bool found = false;
        if (rd_kafka_metadata(m_rk, 1, nullptr, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
            for (int i = 0; i < md->topic_cnt; ++i)
                found = found || topic == md->topics[i].topic;
        if (md)
            rd_kafka_metadata_destroy(md);
        return found;
    }

    Result create(const std::string &name, int partitions, int replication = 1,
                  const Props &configs = {}, bool validateOnly = false)
    {
        char err[512];
        rd_kafka_NewTopic_t *topic =
            rd_kafka_NewTopic_new(name.c_str(), partitions, replication, err, sizeof err);
        if (!topic)
            return {RD_KAFKA_RESP_ERR__INVALID_ARG, err};
        for (const auto &[k, v] : configs)
            rd_kafka_NewTopic_set_config(topic, k.c_str(), v.c_str());
        rd_kafka_AdminOptions_t *options =
            rd_kafka_AdminOptions_new(m_rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_AdminOptions_set_validate_only(options, validateOnly, err, sizeof err);
        Call call(m_rk,
                  [&](rd_kafka_queue_t *q) { rd_kafka_CreateTopics(m_rk, &topic, 1, options, q); });
        rd_kafka_AdminOptions_destroy(options);
        rd_kafka_NewTopic_destroy(topic);
        if (call.error())
            return {call.error(), "request failed"};
        size_t n = 0;
        const rd_kafka_topic_result_t **r = rd_kafka_CreateTopics_result_topics(
            rd_kafka_event_CreateTopics_result(call.event()), &n);
        if (n != 1)
            return {};
        const char *message = rd_kafka_topic_result_error_string(r[0]);
        return {rd_kafka_topic_result_error(r[0]), message ? message : ""};
    }

    rd_kafka_resp_err_t growTo(const std::string &topic, int total)
    {
        char err[256];
        rd_kafka_NewPartitions_t *np =
            rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total), err, sizeof err);
        Call call(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_CreatePartitions(m_rk, &np, 1, nullptr, q);
        });
        rd_kafka_NewPartitions_destroy(np);
        if (call.error())
            return call.error();
        size_t n = 0;
        const rd_kafka_topic_result_t **r = rd_kafka_CreatePartitions_result_topics(
            rd_kafka_event_CreatePartitions_result(call.event()), &n);
        return n == 1 ? rd_kafka_topic_result_error(r[0]) : RD_KAFKA_RESP_ERR__FAIL;
    }

    std::map<std::string, Config> describe(rd_kafka_ResourceType_t type, const std::string &name,
                                           rd_kafka_resp_err_t *error = nullptr)
    {
        std::map<std::string, Config> out;
        rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(type, name.c_str());
        Call call(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_DescribeConfigs(m_rk, &res, 1, nullptr, q);
        });
        rd_kafka_ConfigResource_destroy(res);
        if (error)
            *error = call.error() ? call.error() : RD_KAFKA_RESP_ERR__FAIL;
        if (!call.event() || call.error())
            return out;
        size_t n = 0;
        const rd_kafka_ConfigResource_t **results = rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(call.event()), &n);
        if (error)
            *error = n == 1 ? rd_kafka_ConfigResource_error(results[0]) : RD_KAFKA_RESP_ERR__FAIL;
        for (size_t i = 0; i < n; ++i) {
            size_t cnt = 0;
            const rd_kafka_ConfigEntry_t **entries =
                rd_kafka_ConfigResource_configs(results[i], &cnt);
            for (size_t e = 0; e < cnt; ++e) {
                const char *value = rd_kafka_ConfigEntry_value(entries[e]);
                out[rd_kafka_ConfigEntry_name(entries[e])] = {
                    value ? value : "", rd_kafka_ConfigEntry_source(entries[e]),
                    rd_kafka_ConfigEntry_is_read_only(entries[e]) != 0,
                    rd_kafka_ConfigEntry_is_default(entries[e]) != 0};
            }
        }
        return out;
    }

    Result alter(const std::string &topic, const Props &configs)
    {
        rd_kafka_ConfigResource_t *res =
            rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
        for (const auto &[k, v] : configs)
            rd_kafka_ConfigResource_set_config(res, k.c_str(), v.c_str());
        Call call(m_rk,
                  [&](rd_kafka_queue_t *q) { rd_kafka_AlterConfigs(m_rk, &res, 1, nullptr, q); });
        rd_kafka_ConfigResource_destroy(res);
        if (call.error())
            return {call.error(), "request failed"};
        size_t n = 0;
        const rd_kafka_ConfigResource_t **results = rd_kafka_AlterConfigs_result_resources(
            rd_kafka_event_AlterConfigs_result(call.event()), &n);
        if (n != 1)
            return {};
        const char *message = rd_kafka_ConfigResource_error_string(results[0]);
        return {rd_kafka_ConfigResource_error(results[0]), message ? message : ""};
    }

    // DeleteRecords of one partition: the error and the new low watermark.
    std::pair<rd_kafka_resp_err_t, std::int64_t> deleteBefore(const std::string &topic,
                                                              int partition, std::int64_t offset)
    {
        rd_kafka_topic_partition_list_t *before = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(before, topic.c_str(), partition)->offset = offset;
        rd_kafka_DeleteRecords_t *del = rd_kafka_DeleteRecords_new(before);
        rd_kafka_topic_partition_list_destroy(before);
        Call call(m_rk,
                  [&](rd_kafka_queue_t *q) { rd_kafka_DeleteRecords(m_rk, &del, 1, nullptr, q); });
        rd_kafka_DeleteRecords_destroy(del);
        if (call.error())
            return {call.error(), -1};
        const rd_kafka_topic_partition_list_t *result = rd_kafka_DeleteRecords_result_offsets(
            rd_kafka_event_DeleteRecords_result(call.event()));
        if (!result || result->cnt != 1)
            return {RD_KAFKA_RESP_ERR__FAIL, -1};
        return {result->elems[0].err, result->elems[0].offset};
    }

    static std::string groupError(const rd_kafka_group_result_t *g)
    {
        const rd_kafka_error_t *e = rd_kafka_group_result_error(g);
        return e ? rd_kafka_error_name(e) : std::string();
    }

    std::string deleteGroup(const std::string &name)
    {
        rd_kafka_DeleteGroup_t *dg = rd_kafka_DeleteGroup_new(name.c_str());
        Call call(m_rk,
                  [&](rd_kafka_queue_t *q) { rd_kafka_DeleteGroups(m_rk, &dg, 1, nullptr, q); });
        rd_kafka_DeleteGroup_destroy(dg);
        size_t n = 0;
        const rd_kafka_group_result_t **r = rd_kafka_DeleteGroups_result_groups(
            rd_kafka_event_DeleteGroups_result(call.event()), &n);
        return n == 1 ? groupError(r[0]) : std::string("no result");
    }

    // The group's committed offsets through ListConsumerGroupOffsets (all partitions).
    Offsets committed(const std::string &group)
    {
        rd_kafka_ListConsumerGroupOffsets_t *lo =
            rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), nullptr);
        Call call(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_ListConsumerGroupOffsets(m_rk, &lo, 1, nullptr, q);
        });
        rd_kafka_ListConsumerGroupOffsets_destroy(lo);
        size_t n = 0;
        const rd_kafka_group_result_t **gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(call.event()), &n);
        if (n != 1 || rd_kafka_group_result_error(gr[0]))
            return {{"error", {}}};
        return toOffsets(rd_kafka_group_result_partitions(gr[0]));
    }

    // The errors of a one-group offsets result: per partition, the group's under -1.
    static std::map<int, std::string> partitionErrors(const rd_kafka_group_result_t **gr, size_t n)
    {
        if (n != 1)
            return {{-1, "no result"}};
        std::map<int, std::string> out;
        if (rd_kafka_group_result_error(gr[0]))
            out[-1] = groupError(gr[0]);
        const rd_kafka_topic_partition_list_t *parts = rd_kafka_group_result_partitions(gr[0]);
        for (int i = 0; parts && i < parts->cnt; ++i)
            out[parts->elems[i].partition] = rd_kafka_err2name(parts->elems[i].err);
        return out;
    }

    // Per-partition errors of DeleteConsumerGroupOffsets, or the group error under "group".
    std::map<int, std::string> deleteGroupOffsets(const std::string &group,
                                                  const std::string &topic,
                                                  std::initializer_list<int> partitions)
    {
        rd_kafka_topic_partition_list_t *drop = rd_kafka_topic_partition_list_new(1);
        for (int p : partitions)
            rd_kafka_topic_partition_list_add(drop, topic.c_str(), p);
        rd_kafka_DeleteConsumerGroupOffsets_t *dco =
            rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), drop);
        rd_kafka_topic_partition_list_destroy(drop);
        Call call(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_DeleteConsumerGroupOffsets(m_rk, &dco, 1, nullptr, q);
        });
        rd_kafka_DeleteConsumerGroupOffsets_destroy(dco);
        // librdkafka reports an error of the whole request (such as the group's) on the event.
        if (call.error())
            return {{-1, rd_kafka_err2name(call.error())}};
        size_t n = 0;
        const rd_kafka_group_result_t **gr = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
            rd_kafka_event_DeleteConsumerGroupOffsets_result(call.event()), &n);
        return partitionErrors(gr, n);
    }

    // AlterConsumerGroupOffsets of one topic's partitions: per-partition errors.
    std::map<int, std::string> alterGroupOffsets(const std::string &group, const std::string &topic,
                                                 std::map<int, std::int64_t> offsets)
    {
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
        for (const auto &[p, o] : offsets)
            rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = o;
        rd_kafka_AlterConsumerGroupOffsets_t *aco =
            rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list);
        rd_kafka_topic_partition_list_destroy(list);
        Call call(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_AlterConsumerGroupOffsets(m_rk, &aco, 1, nullptr, q);
        });
        rd_kafka_AlterConsumerGroupOffsets_destroy(aco);
        // librdkafka reports an error of the whole request (such as the group's) on the event.
        if (call.error())
            return {{-1, rd_kafka_err2name(call.error())}};
        size_t n = 0;
        const rd_kafka_group_result_t **gr = rd_kafka_AlterConsumerGroupOffsets_result_groups(
            rd_kafka_event_AlterConsumerGroupOffsets_result(call.event()), &n);
        return partitionErrors(gr, n);
    }

    std::map<std::string, rd_kafka_consumer_group_state_t>
    listGroups(std::initializer_list<rd_kafka_consumer_group_state_t> states = {})
    {
        rd_kafka_AdminOptions_t *options =
            rd_kafka_AdminOptions_new(m_rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
        if (states.size() > 0) {
            std::vector<rd_kafka_consumer_group_state_t> wanted(states);
            if (rd_kafka_error_t *e = rd_kafka_AdminOptions_set_match_consumer_group_states(
                    options, wanted.data(), wanted.size()))
                rd_kafka_error_destroy(e);
        }
        Call list(m_rk,
                  [&](rd_kafka_queue_t *q) { rd_kafka_ListConsumerGroups(m_rk, options, q); });
        rd_kafka_AdminOptions_destroy(options);
        std::map<std::string, rd_kafka_consumer_group_state_t> out;
        if (list.error())
            return out;
        const rd_kafka_ListConsumerGroups_result_t *result =
            rd_kafka_event_ListConsumerGroups_result(list.event());
        size_t n = 0;
        rd_kafka_ListConsumerGroups_result_errors(result, &n);
        if (n > 0)
            out["(error)"] = RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN;
        const rd_kafka_ConsumerGroupListing_t **groups =
            rd_kafka_ListConsumerGroups_result_valid(result, &n);
        for (size_t i = 0; i < n; ++i)
            out[rd_kafka_ConsumerGroupListing_group_id(groups[i])] =
                rd_kafka_ConsumerGroupListing_state(groups[i]);
        return out;
    }

    // DescribeConsumerGroups of one group; the description lives as long as the result.
    struct GroupDescription
    {
        std::unique_ptr<Call> call;
        const rd_kafka_ConsumerGroupDescription_t *desc = nullptr;
    };
    GroupDescription describeGroup(const char *group)
    {
        GroupDescription out;
        out.call = std::make_unique<Call>(m_rk, [&](rd_kafka_queue_t *q) {
            rd_kafka_DescribeConsumerGroups(m_rk, &group, 1, nullptr, q);
        });
        size_t n = 0;
        const rd_kafka_ConsumerGroupDescription_t **desc =
            rd_kafka_DescribeConsumerGroups_result_groups(
                rd_kafka_event_DescribeConsumerGroups_result(out.call->event()), &n);
        if (n == 1)
            out.desc = desc[0];
        return out;
    }

private:
    rd_kafka_t *m_rk = nullptr;
};

} // namespace periscope::test
