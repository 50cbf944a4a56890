#include "errors.h"
#include "jobs/parallel.h"
#include "kafkaapi.h"
#include "requests.h"

#include <QHash>
#include <memory>

namespace periscope::client {

namespace {

struct PartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *l) const
    {
        rd_kafka_topic_partition_list_destroy(l);
    }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

// A slice of the partitions asked for: a topic's partitions [first, last).
struct Slice
{
    QByteArray topic;
    QString name;
    int first = 0;
    int last = 0;
};

PartitionList listFor(const std::vector<Slice> &slices, qint64 offset)
{
    int total = 0;
    for (const Slice &s : slices)
        total += s.last - s.first;
    PartitionList list(rd_kafka_topic_partition_list_new(total));
    for (const Slice &s : slices)
        for (int p = s.first; p < s.last; ++p)
            rd_kafka_topic_partition_list_add(list.get(), s.topic.constData(), p)->offset = offset;
    return list;
}

// librdkafka 2.0.2 matches each ListOffsets answer to the request list by a linear search,
// which is quadratic in the list's length: 100,000 partitions in one call take over half a
// minute of CPU. Chunks of this size keep that cost negligible while still sending one
// request per broker per chunk.
constexpr int kChunkPartitions = 500;
constexpr int kParallelChunks = 4;

std::vector<std::vector<Slice>> chunksOf(const QMap<QString, int> &topics)
{
    std::vector<std::vector<Slice>> chunks(1);
    int inChunk = 0;
    for (auto it = topics.cbegin(); it != topics.cend(); ++it) {
        const QByteArray topic = it.key().toUtf8();
        for (int first = 0; first < it.value();) {
            if (inChunk == kChunkPartitions) {
                chunks.emplace_back();
                inChunk = 0;
            }
            const int last = std::min(it.value(), first + kChunkPartitions - inChunk);
            chunks.back().push_back({topic, it.key(), first, last});
            inChunk += last - first;
            first = last;
        }
    }
    return chunks;
}

// Both ends of one chunk's partitions.
Result<QList<PartitionOffsets>> chunkOffsets(rd_kafka_s *rk, const std::vector<Slice> &slices,
                                             int timeoutMs)
{
    Result<QList<PartitionOffsets>> out;
    // ListOffsets takes the timestamps -2 (earliest) and -1 (latest) for the two ends.
    PartitionList starts = listFor(slices, RD_KAFKA_OFFSET_BEGINNING);
    PartitionList ends = listFor(slices, RD_KAFKA_OFFSET_END);
    rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, starts.get(), timeoutMs);
    if (!err)
        err = rd_kafka_offsets_for_times(rk, ends.get(), timeoutMs);
    if (err) {
        out.error = toClientError(err);
        return out;
    }
    out.value.reserve(ends->cnt);
    int i = 0;
    for (const Slice &slice : slices) {
        for (int p = slice.first; p < slice.last; ++p, ++i) {
            const auto &e = ends->elems[i];
            const auto &s = starts->elems[i];
            PartitionOffsets po;
            po.topic = slice.name; // shared by the topic's partitions
            po.partition = e.partition;
            po.start = s.err ? -1 : s.offset;
            po.end = e.err ? -1 : e.offset;
            if (e.err || s.err)
                po.error = toClientError(e.err ? e.err : s.err).message;
            out.value.append(std::move(po));
        }
    }
    return out;
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
    const auto chunks = chunksOf(topics);
    std::vector<Result<QList<PartitionOffsets>>> results(chunks.size());
    // A few chunks at a time, on helper jobs of the same pool: librdkafka sends them
    // concurrently to the brokers.
    const auto step = [&](std::size_t c) { results[c] = chunkOffsets(rk, chunks[c], timeoutMs); };
    if (const jobs::JobToken *token = jobs::JobToken::current())
        jobs::parallelFor(*token, chunks.size(), kParallelChunks - 1, step);
    else
        for (std::size_t c = 0; c < chunks.size(); ++c)
            step(c);
    Result<QList<PartitionOffsets>> out;
    qsizetype total = 0;
    for (const auto &r : results)
        total += r.value.size();
    out.value.reserve(total);
    for (auto &r : results) {
        if (!r.ok()) {
            out.error = r.error;
            out.value.clear();
            return out;
        }
        out.value.append(std::move(r.value));
    }
    return out;
}

Result<QList<GroupOffset>> offsetsAtTime(rd_kafka_s *rk,
                                         const QMap<QString, QList<int>> &partitions,
                                         qint64 msSinceEpoch, int timeoutMs)
{
    Result<QList<GroupOffset>> out;
    // In chunks, as fetchOffsets does, for the same quadratic matching in librdkafka.
    std::vector<std::pair<QByteArray, int>> all;
    for (auto it = partitions.cbegin(); it != partitions.cend(); ++it) {
        const QByteArray topic = it.key().toUtf8();
        for (int p : it.value())
            all.emplace_back(topic, p);
    }
    for (std::size_t first = 0; first < all.size(); first += kChunkPartitions) {
        const std::size_t last = std::min(all.size(), first + kChunkPartitions);
        PartitionList list(rd_kafka_topic_partition_list_new(int(last - first)));
        for (std::size_t i = first; i < last; ++i)
            rd_kafka_topic_partition_list_add(list.get(), all[i].first.constData(), all[i].second)
                ->offset = msSinceEpoch;
        if (const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, list.get(), timeoutMs)) {
            out.error = toClientError(err);
            out.value.clear();
            return out;
        }
        for (int i = 0; i < list->cnt; ++i) {
            const auto &e = list->elems[i];
            GroupOffset o;
            o.topic = fromC(e.topic);
            o.partition = e.partition;
            o.offset = e.err ? -1 : e.offset;
            if (e.err)
                o.error = toClientError(e.err).message;
            out.value.append(std::move(o));
        }
    }
    return out;
}

} // namespace periscope::client
