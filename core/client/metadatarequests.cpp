#include "errors.h"
#include "requests.h"

#include <QHash>
#include <cstring>
#include <librdkafka/rdkafka.h>
#include <memory>

namespace periscope::client {

namespace {

QString fromC(const char *s)
{
    return s ? QString::fromUtf8(s) : QString();
}

struct PartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *l) const
    {
        rd_kafka_topic_partition_list_destroy(l);
    }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

PartitionList listFor(const QMap<QString, int> &topics, qint64 offset)
{
    int total = 0;
    for (int n : topics)
        total += n;
    PartitionList list(rd_kafka_topic_partition_list_new(total));
    for (auto it = topics.cbegin(); it != topics.cend(); ++it) {
        const QByteArray name = it.key().toUtf8();
        for (int p = 0; p < it.value(); ++p)
            rd_kafka_topic_partition_list_add(list.get(), name.constData(), p)->offset = offset;
    }
    return list;
}

} // namespace

Result<ClusterMetadata> fetchMetadata(rd_kafka_s *rk, bool allTopics, int timeoutMs)
{
    Result<ClusterMetadata> out;
    const rd_kafka_metadata_t *md = nullptr;
    const rd_kafka_resp_err_t err =
        rd_kafka_metadata(rk, allTopics ? 1 : 0, nullptr, &md, timeoutMs);
    if (err) {
        out.error = toClientError(err);
        return out;
    }
    ClusterMetadata &m = out.value;
    // Both come from the metadata just fetched: no further round trip.
    if (char *id = rd_kafka_clusterid(rk, 0)) {
        m.clusterId = QString::fromUtf8(id);
        rd_kafka_mem_free(rk, id);
    }
    m.controllerId = rd_kafka_controllerid(rk, 0);
    m.originBrokerId = md->orig_broker_id;
    m.brokers.reserve(md->broker_cnt);
    for (int i = 0; i < md->broker_cnt; ++i) {
        const auto &b = md->brokers[i];
        m.brokers.append({b.id, fromC(b.host), b.port, QString(), b.id == m.controllerId});
    }
    m.topics.reserve(md->topic_cnt);
    for (int i = 0; i < md->topic_cnt; ++i) {
        const auto &t = md->topics[i];
        TopicInfo topic;
        topic.name = fromC(t.topic);
        topic.internal = topic.name.startsWith(QLatin1String("__"));
        if (t.err)
            topic.error = toClientError(t.err).message;
        topic.partitions.reserve(t.partition_cnt);
        for (int j = 0; j < t.partition_cnt; ++j) {
            const auto &p = t.partitions[j];
            PartitionInfo part;
            part.id = p.id;
            part.leader = p.leader;
            part.replicas.reserve(p.replica_cnt);
            for (int r = 0; r < p.replica_cnt; ++r)
                part.replicas.append(p.replicas[r]);
            part.isr.reserve(p.isr_cnt);
            for (int r = 0; r < p.isr_cnt; ++r)
                part.isr.append(p.isrs[r]);
            if (p.err && p.err != RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE)
                part.error = fromC(rd_kafka_err2str(p.err));
            topic.partitions.append(std::move(part));
        }
        m.topics.append(std::move(topic));
    }
    rd_kafka_metadata_destroy(md);
    return out;
}

Result<QList<PartitionOffsets>> fetchOffsets(rd_kafka_s *rk, const QMap<QString, int> &topics,
                                             int timeoutMs)
{
    Result<QList<PartitionOffsets>> out;
    // ListOffsets takes the timestamps -2 (earliest) and -1 (latest) for the two ends.
    PartitionList starts = listFor(topics, RD_KAFKA_OFFSET_BEGINNING);
    PartitionList ends = listFor(topics, RD_KAFKA_OFFSET_END);
    rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, starts.get(), timeoutMs);
    if (!err)
        err = rd_kafka_offsets_for_times(rk, ends.get(), timeoutMs);
    if (err) {
        out.error = toClientError(err);
        return out;
    }
    out.value.reserve(ends->cnt);
    QString topic;
    const char *lastName = nullptr;
    for (int i = 0; i < ends->cnt; ++i) {
        const auto &e = ends->elems[i];
        const auto &s = starts->elems[i];
        if (!lastName || std::strcmp(e.topic, lastName) != 0) {
            topic = QString::fromUtf8(e.topic); // shared by the topic's partitions
            lastName = e.topic;
        }
        PartitionOffsets po;
        po.topic = topic;
        po.partition = e.partition;
        po.start = s.err ? -1 : s.offset;
        po.end = e.err ? -1 : e.offset;
        if (e.err || s.err)
            po.error = toClientError(e.err ? e.err : s.err).message;
        out.value.append(std::move(po));
    }
    return out;
}

} // namespace periscope::client
