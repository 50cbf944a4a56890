#include "admincall.h"
#include "errors.h"
#include "requests.h"

namespace periscope::client {

namespace {

rd_kafka_ResourceType_t resourceType(ConfigResource::Type type)
{
    return type == ConfigResource::Type::Topic ? RD_KAFKA_RESOURCE_TOPIC : RD_KAFKA_RESOURCE_BROKER;
}

ConfigEntry::Source sourceOf(rd_kafka_ConfigSource_t s)
{
    switch (s) {
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG:
        return ConfigEntry::Source::DynamicTopic;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG:
        return ConfigEntry::Source::DynamicBroker;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG:
        return ConfigEntry::Source::DynamicDefaultBroker;
    case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG:
        return ConfigEntry::Source::StaticBroker;
    case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG:
        return ConfigEntry::Source::Default;
    default:
        return ConfigEntry::Source::Unknown;
    }
}

// Topic results (create, delete, add partitions) as per-item outcomes.
QList<ItemResult> topicResults(const rd_kafka_topic_result_t **results, size_t n)
{
    QList<ItemResult> out;
    for (size_t i = 0; i < n; ++i) {
        const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
        out.append({fromC(rd_kafka_topic_result_name(results[i])),
                    toClientError(err, fromC(rd_kafka_topic_result_error_string(results[i])))});
    }
    return out;
}

// Sends topic requests (create, delete, add partitions) on one call, frees them and reads
// the per-topic results.
template <typename Request, typename Send, typename Destroy, typename Results>
Result<QList<ItemResult>> topicRequest(AdminCall &call, std::vector<Request *> &requests, Send send,
                                       Destroy destroy, Results results)
{
    Result<QList<ItemResult>> out;
    send(requests.data(), requests.size());
    for (Request *r : requests)
        destroy(r);
    if (rd_kafka_event_t *ev = call.wait(&out.error)) {
        size_t n = 0;
        const rd_kafka_topic_result_t **r = results(ev, &n);
        out.value = topicResults(r, n);
    }
    return out;
}

// A one-item request's single outcome, or an error saying the answer was incomplete.
Result<ItemResult> single(Result<QList<ItemResult>> &&many)
{
    Result<ItemResult> out;
    out.error = many.error;
    if (many.ok() && many.value.size() == 1) {
        out.value = many.value.first();
        out.error = out.value.error;
    } else if (many.ok()) {
        out.error = {ClientError::Kind::Internal, noResult(), false};
    }
    return out;
}

} // namespace

Result<ConfigResource> describeConfigs(rd_kafka_s *rk, ConfigResource::Type type,
                                       const QString &name, int timeoutMs)
{
    Result<ConfigResource> out;
    out.value.type = type;
    out.value.name = name;
    rd_kafka_ConfigResource_t *res =
        rd_kafka_ConfigResource_new(resourceType(type), name.toUtf8().constData());
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeoutMs);
    rd_kafka_DescribeConfigs(rk, &res, 1, call.options(), call.queue());
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_ConfigResource_t **results =
        rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &n);
    if (n != 1) {
        out.error = {ClientError::Kind::Internal, noResult(), false};
        return out;
    }
    if (const rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(results[0])) {
        out.error = toClientError(err, fromC(rd_kafka_ConfigResource_error_string(results[0])));
        return out;
    }
    size_t count = 0;
    const rd_kafka_ConfigEntry_t **entries = rd_kafka_ConfigResource_configs(results[0], &count);
    out.value.entries.reserve(qsizetype(count));
    for (size_t i = 0; i < count; ++i) {
        const rd_kafka_ConfigEntry_t *e = entries[i];
        ConfigEntry entry;
        entry.name = fromC(rd_kafka_ConfigEntry_name(e));
        const char *value = rd_kafka_ConfigEntry_value(e);
        entry.isNull = value == nullptr;
        entry.value = fromC(value);
        entry.source = sourceOf(rd_kafka_ConfigEntry_source(e));
        entry.isDefault = rd_kafka_ConfigEntry_is_default(e) != 0;
        entry.readOnly = rd_kafka_ConfigEntry_is_read_only(e) != 0;
        entry.sensitive = rd_kafka_ConfigEntry_is_sensitive(e) != 0;
        out.value.entries.append(std::move(entry));
    }
    return out;
}

Result<ItemResult> alterConfigs(rd_kafka_s *rk, ConfigResource::Type type, const QString &name,
                                const QMap<QString, QString> &values, int timeoutMs)
{
    Result<ItemResult> out;
    out.value.name = name;
    rd_kafka_ConfigResource_t *res =
        rd_kafka_ConfigResource_new(resourceType(type), name.toUtf8().constData());
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        rd_kafka_ConfigResource_set_config(res, it.key().toUtf8().constData(),
                                           it.value().toUtf8().constData());
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_ALTERCONFIGS, timeoutMs);
    rd_kafka_AlterConfigs(rk, &res, 1, call.options(), call.queue());
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_ConfigResource_t **results =
        rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev), &n);
    if (n == 1)
        out.error = toClientError(rd_kafka_ConfigResource_error(results[0]),
                                  fromC(rd_kafka_ConfigResource_error_string(results[0])));
    out.value.error = out.error;
    return out;
}

Result<QList<ItemResult>> createTopics(rd_kafka_s *rk, const QList<NewTopic> &topics,
                                       bool validateOnly, int timeoutMs)
{
    Result<QList<ItemResult>> out;
    std::vector<rd_kafka_NewTopic_t *> requests;
    char err[512];
    for (const NewTopic &t : topics) {
        rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(t.name.toUtf8().constData(), t.partitions,
                                                        t.replicationFactor, err, sizeof err);
        if (!nt) {
            for (auto *r : requests)
                rd_kafka_NewTopic_destroy(r);
            out.error = toClientError(RD_KAFKA_RESP_ERR__INVALID_ARG, QString::fromUtf8(err));
            return out;
        }
        for (auto it = t.configs.cbegin(); it != t.configs.cend(); ++it)
            rd_kafka_NewTopic_set_config(nt, it.key().toUtf8().constData(),
                                         it.value().toUtf8().constData());
        requests.push_back(nt);
    }
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMs);
    rd_kafka_AdminOptions_set_validate_only(call.options(), validateOnly, err, sizeof err);
    return topicRequest(
        call, requests,
        [&](rd_kafka_NewTopic_t **r, size_t n) {
            rd_kafka_CreateTopics(rk, r, n, call.options(), call.queue());
        },
        rd_kafka_NewTopic_destroy,
        [](rd_kafka_event_t *ev, size_t *n) {
            return rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), n);
        });
}

Result<QList<ItemResult>> deleteTopics(rd_kafka_s *rk, const QStringList &names, int timeoutMs)
{
    std::vector<rd_kafka_DeleteTopic_t *> requests;
    for (const QString &name : names)
        requests.push_back(rd_kafka_DeleteTopic_new(name.toUtf8().constData()));
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS, timeoutMs);
    return topicRequest(
        call, requests,
        [&](rd_kafka_DeleteTopic_t **r, size_t n) {
            rd_kafka_DeleteTopics(rk, r, n, call.options(), call.queue());
        },
        rd_kafka_DeleteTopic_destroy,
        [](rd_kafka_event_t *ev, size_t *n) {
            return rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), n);
        });
}

Result<ItemResult> createPartitions(rd_kafka_s *rk, const QString &topic, int newTotal,
                                    int timeoutMs)
{
    Result<QList<ItemResult>> out;
    char err[512];
    rd_kafka_NewPartitions_t *np = rd_kafka_NewPartitions_new(
        topic.toUtf8().constData(), size_t(std::max(newTotal, 0)), err, sizeof err);
    if (!np) {
        out.error = toClientError(RD_KAFKA_RESP_ERR__INVALID_ARG, QString::fromUtf8(err));
        return single(std::move(out));
    }
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeoutMs);
    std::vector<rd_kafka_NewPartitions_t *> requests{np};
    return single(topicRequest(
        call, requests,
        [&](rd_kafka_NewPartitions_t **r, size_t n) {
            rd_kafka_CreatePartitions(rk, r, n, call.options(), call.queue());
        },
        rd_kafka_NewPartitions_destroy,
        [](rd_kafka_event_t *ev, size_t *n) {
            return rd_kafka_CreatePartitions_result_topics(
                rd_kafka_event_CreatePartitions_result(ev), n);
        }));
}

Result<QList<PartitionOffsets>> deleteRecords(rd_kafka_s *rk, const QString &topic,
                                              const QMap<int, qint64> &before, int timeoutMs)
{
    Result<QList<PartitionOffsets>> out;
    const QByteArray name = topic.toUtf8();
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(before.size()));
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        rd_kafka_topic_partition_list_add(list, name.constData(), it.key())->offset = it.value();
    rd_kafka_DeleteRecords_t *del = rd_kafka_DeleteRecords_new(list);
    rd_kafka_topic_partition_list_destroy(list);
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DELETERECORDS, timeoutMs);
    rd_kafka_DeleteRecords(rk, &del, 1, call.options(), call.queue());
    rd_kafka_DeleteRecords_destroy(del);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    const rd_kafka_topic_partition_list_t *result =
        rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(ev));
    for (int i = 0; result && i < result->cnt; ++i) {
        const auto &e = result->elems[i];
        PartitionOffsets po;
        po.topic = topic;
        po.partition = e.partition;
        po.start = e.err ? -1 : e.offset;
        if (e.err) {
            po.error = toClientError(e.err).message;
            if (!out.error.isError())
                out.error = toClientError(e.err);
        }
        out.value.append(std::move(po));
    }
    return out;
}

} // namespace periscope::client
